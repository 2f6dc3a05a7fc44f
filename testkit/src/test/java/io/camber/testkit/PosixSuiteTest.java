package io.camber.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The POSIX suite's expectations hold on Linux's own file systems (ext4 under /tmp here and in CI, tmpfs in
 * /dev/shm), so a failure on a Camber mount is Camber's. Runs as root, as CI does.
 */
class PosixSuiteTest {

    @Test
    void passesOnTheLocalDisk() throws IOException {
        check(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void passesOnTmpfs() throws IOException {
        check(Path.of("/dev/shm"));
    }

    @Test
    void reportsAFailureWithItsName() throws IOException {
        Path dir = dir(Path.of(System.getProperty("java.io.tmpdir")));
        try {
            Files.writeString(dir.resolve("not-empty"), "x"); // every check mkdirs its own directory: still fine
            Files.createDirectory(dir.resolve("enoent"));     // ... except this one, which now fails with EEXIST
            PosixSuite.Result r = PosixSuite.run(dir, "enoent", "statfs");
            assertThat(r.passed()).isFalse();
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.failures()).singleElement().asString().startsWith("FAIL enoent");
            assertThat(r.output()).contains("ok statfs", "1 passed, 1 failed");
        } finally {
            delete(dir);
        }
    }

    private static void check(Path base) throws IOException {
        Path dir = dir(base);
        try {
            PosixSuite.Result r = PosixSuite.run(dir);
            assertThat(r.passed()).as(r.output()).isTrue();
            assertThat(r.output()).contains("25 passed, 0 failed");
        } finally {
            delete(dir);
        }
    }

    /** A directory nobody can reach (JUnit's @TempDir is 0700, which would fail the user checks). */
    private static Path dir(Path base) throws IOException {
        Path dir = Files.createTempDirectory(base, "camber-posix-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
