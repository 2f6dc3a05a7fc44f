package io.camber.server.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A data directory's identity: a random UUID written durably the first time the directory is used. A replica that
 * finds a different one, or none where its group expects one, is on a wiped or replaced disk (the guard against
 * Raft amnesia: such a replica must not vote with a log it no longer has).
 */
public final class DiskId {
    public static final String FILE = "disk.id";

    private DiskId() {
    }

    /** The directory's identity; made now when there is none yet. */
    public static String of(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = UUID.randomUUID().toString();
        writeDurably(dataDir, FILE, id);
        return id;
    }

    /** Writes a small file so a crash leaves the old content or the new one: temp file, fsync, rename, dir fsync. */
    public static void writeDurably(Path dataDir, String name, String content) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.sync(dataDir);
    }
}
