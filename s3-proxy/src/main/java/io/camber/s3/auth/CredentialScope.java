package io.camber.s3.auth;

/**
 * The credential of a SigV4 signature, {@code AK/yyyyMMdd/region/service/aws4_request}: who signed and the scope the
 * signing key was derived for.
 */
public record CredentialScope(String accessKey, String date, String region, String service, String terminator) {

    /**
     * Splits a credential string; the access key may itself contain no {@code /}, so the last four parts are the scope.
     *
     * @param malformed the error to raise (header or query flavour) when the shape is wrong
     */
    static CredentialScope parse(String credential, S3AuthError malformed) {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty()) {
            throw new S3AuthException(malformed, "the Credential must look like"
                    + " <access-key>/<yyyyMMdd>/<region>/s3/aws4_request, got " + parts.length + " parts");
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /** The scope as it appears in the string to sign: {@code yyyyMMdd/region/service/aws4_request}. */
    public String scope() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }
}
