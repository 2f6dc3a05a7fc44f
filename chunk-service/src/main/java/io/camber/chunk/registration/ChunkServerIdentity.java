package io.camber.chunk.registration;

import io.camber.server.storage.DiskId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The chunk-server id the MDS gave this disk, kept in the data directory so a restart is the same chunk server. */
public final class ChunkServerIdentity {
    private static final String FILE = "chunkserver.id";

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
        return DiskId.of(dataDir);
    }

    /** Writes the id durably (temp file, fsync, atomic rename). */
    public static void write(Path dataDir, long id) throws IOException {
        DiskId.writeDurably(dataDir, FILE, Long.toString(id));
    }
}
