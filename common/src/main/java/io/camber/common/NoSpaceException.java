package io.camber.common;

/**
 * {@link ErrorCode#NO_SPACE}: a chunk server refused a write because its disk is too full.
 *
 * <p>A copyset refuses the write in Ratis' {@code startTransaction}; the chunk server's data port sends the refusal
 * back as the copyset's reply with this code. Keep the constructor taking only the message: Ratis rebuilds
 * exceptions by class name and message when they cross its own RPCs (between replicas).
 */
public final class NoSpaceException extends CamberException {
    public NoSpaceException(String message) {
        super(ErrorCode.NO_SPACE, message);
    }
}
