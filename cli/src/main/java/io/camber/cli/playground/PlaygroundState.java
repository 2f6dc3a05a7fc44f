package io.camber.cli.playground;

import io.camber.cli.CliFailure;
import io.camber.cli.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/** What {@code playground up} started, kept in {@code <dir>/playground.json} so that down stops exactly that. */
public record PlaygroundState(String dir, long startedAtMillis, List<ProcessRecord> processes) {

    public static final String FILE = "playground.json";

    /**
     * One started process. The start time guards against pid reuse: a pid whose process started at another
     * moment is not ours, and down leaves it alone.
     */
    public record ProcessRecord(String name, long pid, int httpPort, Integer raftPort, String jar, String log,
                                long processStartMillis) {
    }

    public PlaygroundState with(ProcessRecord record) {
        List<ProcessRecord> all = new ArrayList<>(processes);
        all.add(record);
        return new PlaygroundState(dir, startedAtMillis, List.copyOf(all));
    }

    /** The state without the named processes (to start them again). */
    public PlaygroundState without(java.util.Set<String> names) {
        return new PlaygroundState(dir, startedAtMillis,
                processes.stream().filter(p -> !names.contains(p.name())).toList());
    }

    public static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    /** Reads the state file; empty when there is none. */
    public static Optional<PlaygroundState> read(Path dir) {
        Path file = file(dir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.LENIENT.readValue(Files.readString(file), PlaygroundState.class));
        } catch (IOException | JacksonException e) {
            throw CliFailure.local("cannot read " + file + " (" + e.getMessage() + "): stop leftover processes by"
                    + " the pids in it, then delete it");
        }
    }

    /** Writes atomically (temp file and rename), so a crash mid-write never leaves a half file. */
    public void write(Path dir) {
        Path file = file(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.writeString(tmp, Json.LENIENT.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw CliFailure.local("cannot write " + file + ": " + e.getMessage());
        }
    }

    public static void delete(Path dir) {
        try {
            Files.deleteIfExists(file(dir));
        } catch (IOException e) {
            throw CliFailure.local("cannot delete " + file(dir) + ": " + e.getMessage());
        }
    }
}
