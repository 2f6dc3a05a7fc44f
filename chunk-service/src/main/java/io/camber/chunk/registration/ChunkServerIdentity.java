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

    private ChunkServerIdentity() {
    }

    public static OptionalLong read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    }

    /** Writes the id durably (temp file, fsync, atomic rename). */
    public static void write(Path dataDir, long id) throws IOException {
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, Long.toString(id), StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
