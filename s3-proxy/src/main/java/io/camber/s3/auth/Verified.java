package io.camber.s3.auth;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request whose SigV4 signature checked out: who signed it and what the body must still be checked against.
 *
 * @param accessKey            the access key id that signed the request
 * @param credential           the credential scope (date, region, service) the signature was made for
 * @param timestamp            the signing time as {@code yyyyMMdd'T'HHmmss'Z'}, as chunk signatures use it
 * @param signingKey           the derived SigV4 signing key, for chunk and trailer signatures (a copy each call)
 * @param seedSignature        the request signature, which seeds the chunk-signature chain
 * @param payloadMode          how the body is protected
 * @param expectedSha256       the lower-case hex SHA-256 the body must have, when {@code payloadMode} is SHA256
 * @param trailerChecksum      the checksum declared by {@code x-amz-trailer}, for the trailer modes
 * @param decodedContentLength {@code x-amz-decoded-content-length}, when sent
 * @param presigned            true when authenticated by a presigned URL
 */
public record Verified(String accessKey, CredentialScope credential, String timestamp, byte[] signingKey,
                       String seedSignature, PayloadMode payloadMode, Optional<String> expectedSha256,
                       Optional<ChecksumAlgorithm> trailerChecksum, OptionalLong decodedContentLength,
                       boolean presigned) {

    public Verified {
        signingKey = signingKey.clone();
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /** The scope string {@code yyyyMMdd/region/s3/aws4_request} as chunk signatures use it. */
    public String scope() {
        return credential.scope();
    }

    @Override
    public String toString() {
        // The signing key is as good as the secret for a day: keep it out of logs.
        return "Verified[accessKey=" + accessKey + ", scope=" + scope() + ", payloadMode=" + payloadMode
                + ", presigned=" + presigned + "]";
    }
}
