package io.camber.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools the file-system tests drive (tar, diff, git, rsync, fio) and fails with their output. */
public final class Shell {
    /** A finished command: its exit code and its stdout and stderr together. */
    public record Run(List<String> command, int exitCode, String output) {
        /** This run, after checking it exited 0 (else an AssertionError with the command and its output). */
        public Run ok() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private Shell() {
    }

    /** Runs command in dir (null: the current directory), waiting at most timeout. */
    public static Run run(Path dir, Duration timeout, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " still running after " + timeout);
            }
            return new Run(List.of(command), p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0] + " (is it installed? see .ci/run)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a bash script line in dir and checks it exited 0. */
    public static String bash(Path dir, Duration timeout, String script) {
        return run(dir, timeout, "bash", "-o", "pipefail", "-ec", script).ok().output();
    }
}
