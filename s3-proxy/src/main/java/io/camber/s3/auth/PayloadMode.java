package io.camber.s3.auth;

import java.util.Optional;

/** How the body of a verified request is protected, as declared by {@code x-amz-content-sha256}. */
public enum PayloadMode {
    /** The header carries the hex SHA-256 of the body; check the body against {@link Verified#expectedSha256()}. */
    SHA256(null),
    /** The body is not covered by the signature. */
    UNSIGNED("UNSIGNED-PAYLOAD"),
    /** {@code aws-chunked} body, each chunk signed in a chain from the seed signature. */
    STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
    /** {@code aws-chunked} body without chunk signatures, ending in a checksum trailer. */
    STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
    /** {@code aws-chunked} body, chunks signed, ending in a checksum trailer and a trailer signature. */
    STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");

    private final String headerValue;

    PayloadMode(String headerValue) {
        this.headerValue = headerValue;
    }

    /** True when the body is {@code aws-chunked} and must go through an {@link AwsChunkedDecoder}. */
    public boolean isStreaming() {
        return this == STREAMING_SIGNED || this == STREAMING_UNSIGNED_TRAILER || this == STREAMING_SIGNED_TRAILER;
    }

    /** True when every chunk carries a {@code chunk-signature}. */
    public boolean signsChunks() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
    }

    /** True when the body ends with trailing headers (a checksum). */
    public boolean hasTrailer() {
        return this == STREAMING_UNSIGNED_TRAILER || this == STREAMING_SIGNED_TRAILER;
    }

    /** The mode an {@code x-amz-content-sha256} value declares, empty when the value is none of them. */
    static Optional<PayloadMode> of(String contentSha256) {
        if (Hashing.isSha256Hex(contentSha256)) {
            return Optional.of(SHA256);
        }
        for (PayloadMode mode : values()) {
            if (contentSha256.equals(mode.headerValue)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
