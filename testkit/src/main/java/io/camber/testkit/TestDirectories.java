package io.camber.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories of the integration tests. A cluster's data is gigabytes after a fio run: left in /tmp, a few
 * test classes fill a small CI disk until the chunk servers refuse writes for lack of space (seen on CI). Set
 * {@code -Dcamber.keep-test-data=true} to keep them for a post-mortem.
 */
public final class TestDirectories {
    private TestDirectories() {
    }

    public static boolean keep() {
        return Boolean.getBoolean("camber.keep-test-data");
    }

    /** Deletes {@code dir} and everything below it, unless the run asked to keep test data. */
    public static void delete(Path dir) {
        if (dir == null || keep() || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(TestDirectories::deleteOne);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete test directory " + dir, e);
        }
    }

    private static void deleteOne(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + p, e);
        }
    }
}
