package io.camber.cli;

/** A failure the CLI reports as one line on stderr with a distinct exit code, never as a stack trace. */
public class CliFailure extends RuntimeException {

    /** The server refused the request (its error code and detail are in the message). */
    public static final int REFUSED = 1;
    /** Picocli's exit code for bad command-line usage. */
    public static final int USAGE = 2;
    /** Camber could not be reached at all. */
    public static final int UNREACHABLE = 3;
    /** A local problem: a missing file, a playground that failed to start. */
    public static final int LOCAL = 4;

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliFailure local(String message) {
        return new CliFailure(LOCAL, message);
    }
}
