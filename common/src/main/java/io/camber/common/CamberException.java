package io.camber.common;

/** A failure with a stable code and a message that tells the caller what to do next. */
public class CamberException extends RuntimeException {
    private final ErrorCode code;

    public CamberException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static CamberException invalid(String message) {
        return new CamberException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static CamberException notFound(String message) {
        return new CamberException(ErrorCode.NOT_FOUND, message);
    }

    public static CamberException conflict(String message) {
        return new CamberException(ErrorCode.CONFLICT, message);
    }
}
