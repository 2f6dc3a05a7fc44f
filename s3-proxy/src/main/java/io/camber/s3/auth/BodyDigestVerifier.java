package io.camber.s3.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks a (decoded) body against what the headers promised: the signed x-amz-content-sha256, Content-MD5 and an
 * {@code x-amz-checksum-*} header. Feed it the payload bytes incrementally, then call {@link #finish()}.
 */
public final class BodyDigestVerifier {

    private final MessageDigest sha256;
    private final String expectedSha256;
    private final MessageDigest md5;
    private final byte[] expectedMd5;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final RunningChecksum checksum;
    private final String expectedChecksum;

    private BodyDigestVerifier(String expectedSha256, byte[] expectedMd5, ChecksumAlgorithm checksumAlgorithm,
                               String expectedChecksum) {
        this.expectedSha256 = expectedSha256;
        this.sha256 = expectedSha256 == null ? null : Hashing.sha256();
        this.expectedMd5 = expectedMd5;
        this.md5 = expectedMd5 == null ? null : md5();
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksum = checksumAlgorithm == null ? null : checksumAlgorithm.start();
        this.expectedChecksum = expectedChecksum;
    }

    /**
     * A verifier for the body of {@code request}; call it before reading the body, since a malformed Content-MD5
     * is refused at once.
     *
     * @throws S3AuthException InvalidDigest when Content-MD5 is not the base64 of 16 bytes, InvalidRequest when more
     *                         than one x-amz-checksum-* header is sent
     */
    public static BodyDigestVerifier forRequest(Verified verified, SignedRequest request) {
        byte[] md5 = request.header("Content-MD5").map(BodyDigestVerifier::parseMd5).orElse(null);
        ChecksumAlgorithm algorithm = null;
        String expected = null;
        for (ChecksumAlgorithm candidate : ChecksumAlgorithm.values()) {
            Optional<String> value = request.header(candidate.headerName());
            if (value.isPresent()) {
                if (algorithm != null) {
                    throw new S3AuthException(S3AuthError.INVALID_REQUEST,
                            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }
                algorithm = candidate;
                expected = value.get();
            }
        }
        return new BodyDigestVerifier(verified.expectedSha256().orElse(null), md5, algorithm, expected);
    }

    /** Adds the remaining bytes of {@code data} to every running digest, without moving its position. */
    public void update(ByteBuffer data) {
        if (sha256 != null) {
            sha256.update(data.duplicate());
        }
        if (md5 != null) {
            md5.update(data.duplicate());
        }
        if (checksum != null) {
            checksum.update(data);
        }
    }

    /**
     * Compares the digests once the whole body was fed.
     *
     * @throws S3AuthException XAmzContentSHA256Mismatch, BadDigest (Content-MD5 or checksum), or InvalidRequest
     *                         for an unreadable checksum header
     */
    public void finish() {
        if (sha256 != null) {
            String actual = Hashing.hex(sha256.digest());
            if (!actual.equals(expectedSha256)) {
                throw new S3AuthException(S3AuthError.X_AMZ_CONTENT_SHA256_MISMATCH, "The provided"
                        + " 'x-amz-content-sha256' header does not match what was computed (" + actual + ")");
            }
        }
        if (md5 != null && !MessageDigest.isEqual(md5.digest(), expectedMd5)) {
            throw new S3AuthException(S3AuthError.BAD_DIGEST,
                    "The Content-MD5 you specified did not match what we received.");
        }
        if (checksum != null) {
            TrailerSection.checkChecksum(checksumAlgorithm, expectedChecksum, checksum.value());
        }
    }

    private static byte[] parseMd5(String value) {
        try {
            byte[] digest = Base64.getDecoder().decode(value.strip());
            if (digest.length == 16) {
                return digest;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new S3AuthException(S3AuthError.INVALID_DIGEST,
                "The Content-MD5 you specified is not valid: send the base64 of the body's 16-byte MD5");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships MD5", e);
        }
    }
}
