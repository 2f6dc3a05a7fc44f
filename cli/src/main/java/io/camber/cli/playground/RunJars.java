package io.camber.cli.playground;

import io.camber.cli.CliFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The playground runs each service from a copy of its jar in {@code <dir>/jars}, one per build: a JVM reads classes
 * from its jar lazily, for as long as it runs, and a rebuild ({@code ./mvnw install}, or {@code ./camber} after a
 * source change) rewrites {@code target/*.jar} in place, which broke running services (NoClassDefFoundError in a
 * Raft thread, a copyset left without an election). {@code down} deletes the copies.
 */
final class RunJars {
    static final String DIR = "jars";

    private RunJars() {
    }

    /** The copy of jar to run, made now unless this build's copy exists. */
    static Path copyOf(Path jar, Path playgroundDir) {
        try {
            String file = jar.getFileName().toString();
            String base = file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
            Path copy = playgroundDir.resolve(DIR).resolve(base + "-" + Files.getLastModifiedTime(jar).toMillis() + "-"
                    + Files.size(jar) + ".jar");
            if (!Files.exists(copy)) {
                Files.createDirectories(copy.getParent());
                Path tmp = copy.resolveSibling(copy.getFileName() + ".tmp");
                Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw CliFailure.local("cannot copy " + jar + " into " + playgroundDir.resolve(DIR) + ": "
                    + e.getMessage());
        }
    }
}
