package io.camber.s3.auth;

/**
 * A request or its body failed S3 authentication; {@link #error()} says which S3 error to answer with, the message
 * says what is wrong (it never contains a secret).
 */
public final class S3AuthException extends RuntimeException {

    private final S3AuthError error;

    public S3AuthException(S3AuthError error, String message) {
        super(message);
        this.error = error;
    }

    /** The S3 error code and HTTP status to answer with. */
    public S3AuthError error() {
        return error;
    }

    /** The S3 error code, e.g. {@code SignatureDoesNotMatch}. */
    public String code() {
        return error.code();
    }

    /** The HTTP status to answer with. */
    public int httpStatus() {
        return error.httpStatus();
    }
}
