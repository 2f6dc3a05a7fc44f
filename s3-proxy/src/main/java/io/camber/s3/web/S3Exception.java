package io.camber.s3.web;

/** A refused S3 request: the code and a message that says what to do; rendered once, as an S3 error document. */
public final class S3Exception extends RuntimeException {
    private final String code;
    private final int status;

    public S3Exception(S3Error error, String message) {
        this(error.code(), error.status(), message, null);
    }

    public S3Exception(S3Error error, String message, Throwable cause) {
        this(error.code(), error.status(), message, cause);
    }

    /** For codes that come from elsewhere (the SigV4 checks carry their own code and status). */
    public S3Exception(String code, int status, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
