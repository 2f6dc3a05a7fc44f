package io.camber.meta.fs;

/**
 * A refused file-system operation. Thrown while a command is applied, it discards that command's batch and
 * becomes the reply, identical on every replica because it depends only on the state and the command.
 */
public final class FsException extends RuntimeException {
    private final FsError error;

    public FsException(FsError error, String message) {
        super(message);
        this.error = error;
    }

    public FsError error() {
        return error;
    }

    public static FsException of(FsError error, String message) {
        return new FsException(error, message);
    }
}
