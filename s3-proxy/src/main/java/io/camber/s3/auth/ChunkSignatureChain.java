package io.camber.s3.auth;

/**
 * The rolling signatures of an {@code aws-chunked} body: each chunk (and the trailer) is signed over the previous
 * signature, starting from the request's seed signature, so chunks can be neither altered nor reordered.
 */
final class ChunkSignatureChain {

    private final byte[] signingKey;
    private final String timestamp;
    private final String scope;
    private String previous;

    ChunkSignatureChain(byte[] signingKey, String timestamp, String scope, String seedSignature) {
        this.signingKey = signingKey;
        this.timestamp = timestamp;
        this.scope = scope;
        this.previous = seedSignature;
    }

    /** Checks a {@code chunk-signature} against the SHA-256 (hex) of that chunk's data, then moves the chain on. */
    void verifyChunk(String claimed, String dataSha256Hex) {
        String expected = Hashing.sign(signingKey, "AWS4-HMAC-SHA256-PAYLOAD\n" + timestamp + "\n" + scope + "\n"
                + previous + "\n" + Hashing.EMPTY_SHA256 + "\n" + dataSha256Hex);
        check(expected, claimed, "chunk-signature");
    }

    /** Checks {@code x-amz-trailer-signature} against the canonical trailer lines ({@code name:value\n} each). */
    void verifyTrailer(String claimed, String canonicalTrailers) {
        String expected = Hashing.sign(signingKey, "AWS4-HMAC-SHA256-TRAILER\n" + timestamp + "\n" + scope + "\n"
                + previous + "\n" + Hashing.sha256Hex(canonicalTrailers));
        check(expected, claimed, "x-amz-trailer-signature");
    }

    private void check(String expected, String claimed, String what) {
        if (!Hashing.sameSignature(expected, claimed)) {
            throw new S3AuthException(S3AuthError.SIGNATURE_DOES_NOT_MATCH, "The " + what + " we calculated does"
                    + " not match the one in the body: the body was altered or signed with another key");
        }
        previous = expected;
    }
}
