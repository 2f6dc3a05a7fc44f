package io.camber.s3.auth;

import java.util.List;

/**
 * What a request claims about its signature, from the Authorization header or from presigned-URL query parameters,
 * before anything is checked.
 *
 * @param credential     the access key and credential scope
 * @param signedHeaders  the header names covered, in the order the client listed them
 * @param signature      the claimed signature, lower-case hex
 * @param presigned      true for query-string (presigned URL) authentication
 * @param amzDate        X-Amz-Date from the query when presigned; null for the header form (taken from headers)
 * @param expiresSeconds X-Amz-Expires when presigned, 0 otherwise
 */
record SignatureParameters(CredentialScope credential, List<String> signedHeaders, String signature,
                           boolean presigned, String amzDate, long expiresSeconds) {

    /** The error code for a malformed parameter of this authentication form. */
    S3AuthError malformed() {
        return malformed(presigned);
    }

    static S3AuthError malformed(boolean presigned) {
        return presigned ? S3AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR
                : S3AuthError.AUTHORIZATION_HEADER_MALFORMED;
    }

    /** SignedHeaders as it appears in the canonical request. */
    String signedHeadersLine() {
        return String.join(";", signedHeaders);
    }
}
