package io.camber.client.fuse;

/** A mount that cannot be made, with a message that says what to do about it. */
public final class MountRefusedException extends RuntimeException {
    public MountRefusedException(String message) {
        super(message);
    }

    public MountRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
