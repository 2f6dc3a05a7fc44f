package io.camber.common;

/**
 * {@link ErrorCode#NO_SPACE}: a chunk server refused a write because its disk is too full.
 *
 * <p>A class of its own, with a constructor taking only the message, because a copyset refuses the write in
 * Ratis' {@code startTransaction} and Ratis carries such an exception to the client by class name and message,
 * rebuilding it there through that constructor; the class itself is what keeps the code across the trip.
 */
public final class NoSpaceException extends CamberException {
    public NoSpaceException(String message) {
        super(ErrorCode.NO_SPACE, message);
    }
}
