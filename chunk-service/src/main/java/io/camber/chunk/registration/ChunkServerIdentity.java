package io.camber.chunk.registration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/** The chunk-server id the MDS gave this disk, kept in the data directory so a restart is the same chunk server. */
public final class ChunkServerIdentity {
    private static final String FILE = "chunkserver.id";
    private static final String DISK = "disk.id";

    private ChunkServerIdentity() {
    }

    public static OptionalLong read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    }

    /**
     * This disk's identity, made (a random UUID, written durably) the first time the data directory is used, so
     * the MDS can tell this disk from a wiped or replaced one at the same address.
     */
    public static String diskId(Path dataDir) throws IOException {
        Path file = dataDir.resolve(DISK);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        String id = java.util.UUID.randomUUID().toString();
        writeDurably(dataDir, DISK, id);
        return id;
    }

    /** Writes the id durably (temp file, fsync, atomic rename). */
    public static void write(Path dataDir, long id) throws IOException {
        writeDurably(dataDir, FILE, Long.toString(id));
    }

    private static void writeDurably(Path dataDir, String name, String content) throws IOException {
        Path tmp = dataDir.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        io.camber.server.storage.DirectorySync.sync(dataDir);
    }
}
