package io.camber.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The POSIX behaviour suite ({@code posix_suite.py}: error codes, rename corner cases, link counts, open-unlinked
 * files, truncate, sparse files, xattrs, permission bits for nobody) run against a directory with python3, as
 * root. The same suite checks ext4 and tmpfs (so its expectations are Linux's) and a Camber mount.
 */
public final class PosixSuite {
    private static final String SCRIPT = "posix_suite.py";

    /** What one run printed and how it ended. */
    public record Result(int exitCode, String output, List<String> failures) {
        public boolean passed() {
            return exitCode == 0 && failures.isEmpty() && output.contains(", 0 failed");
        }
    }

    private PosixSuite() {
    }

    /** Runs every check (or only the named ones) in dir, which must be empty. */
    public static Result run(Path dir, String... onlyChecks) {
        try {
            Path script = Files.createTempFile("camber-posix-suite-", ".py");
            try (InputStream in = PosixSuite.class.getResourceAsStream(SCRIPT)) {
                Files.write(script, in.readAllBytes());
            }
            try {
                List<String> command = new ArrayList<>(List.of("python3", script.toString(), dir.toString()));
                command.addAll(List.of(onlyChecks));
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("posix suite still running after 10 minutes:\n" + out);
                }
                List<String> failures = out.lines().filter(l -> l.startsWith("FAIL ")).toList();
                return new Result(p.exitValue(), out, failures);
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run python3 " + SCRIPT + " (apt-get install python3)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
