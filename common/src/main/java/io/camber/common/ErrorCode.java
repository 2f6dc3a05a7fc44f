package io.camber.common;

/** The one error vocabulary of Camber, each code mapped once to an HTTP status. */
public enum ErrorCode {
    INVALID_ARGUMENT(400),
    /** No credential, or one the cluster does not know (or an expired data-plane token): send a valid one. */
    UNAUTHENTICATED(401),
    /** The credential is valid but its role may not do this; use a key with a role that may. */
    FORBIDDEN(403),
    MALFORMED_REQUEST(400),
    NOT_FOUND(404),
    ALREADY_EXISTS(409),
    CONFLICT(409),
    VOLUME_BUSY(409),
    DATA_LOSS_REFUSED(409),
    SESSION_EXPIRED(410),
    FENCED(409),
    NO_LEADER(503),
    UNAVAILABLE(503),
    /** A chunk server's disk is too full to take the write; free space there (or add disks) and retry. */
    NO_SPACE(507),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status this code is answered with. */
    public int httpStatus() {
        return httpStatus;
    }
}
