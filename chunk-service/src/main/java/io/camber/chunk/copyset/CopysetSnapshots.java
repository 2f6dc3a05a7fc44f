package io.camber.chunk.copyset;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots of a copyset list its chunk files in place (as Curve does) plus {@code copyset.meta}
 * with the snapshot's term, index and the IO fence's epochs; nothing is copied. Ratis ships the
 * whole copyset folder to a lagging replica and swaps it in.
 */
final class CopysetSnapshots implements StateMachineStorage {
    static final String META = "copyset.meta";

    private final Path dir;
    private final Path tmp;

    CopysetSnapshots(Path copysetDir) {
        this.dir = copysetDir;
        this.tmp = copysetDir.resolveSibling(copysetDir.getFileName() + ".tmp");
    }

    /** What a snapshot records besides the chunk files. */
    record Meta(TermIndex termIndex, Map<Long, Long> epochs) {
    }

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        Files.createDirectories(dir);
        Files.createDirectories(tmp);
    }

    @Override
    public File getSnapshotDir() {
        return dir.toFile();
    }

    @Override
    public File getTmpDir() {
        return tmp.toFile();
    }

    /** Writes copyset.meta durably (temp file, fsync, atomic rename). */
    void writeMeta(Meta meta) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(meta.termIndex().getTerm()).append(' ').append(meta.termIndex().getIndex()).append('\n');
        meta.epochs().forEach((v, e) -> sb.append(v).append(' ').append(e).append('\n'));
        Path staging = dir.resolve(META + ".new");
        Files.writeString(staging, sb, StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(staging, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The recorded snapshot, or null before the first one. */
    Meta readMeta() {
        Path file = dir.resolve(META);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            String[] head = lines.get(0).split(" ");
            Map<Long, Long> epochs = new HashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] kv = line.split(" ");
                epochs.put(Long.parseLong(kv[0]), Long.parseLong(kv[1]));
            }
            return new Meta(TermIndex.valueOf(Long.parseLong(head[0]), Long.parseLong(head[1])), epochs);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("copyset snapshot meta " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the {@code <file>.md5} digests Ratis leaves beside every file of an installed snapshot: the
     * chunk store refuses files that are not chunks, and a later snapshot would ship them along.
     */
    void dropInstallDigests() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".md5"))::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public FileListSnapshotInfo getLatestSnapshot() {
        Meta meta = readMeta();
        if (meta == null) {
            return null;
        }
        List<FileInfo> files = new ArrayList<>();
        files.add(new FileInfo(dir.resolve(META), null));
        try (var chunks = Files.list(dir.resolve("chunks"))) {
            chunks.filter(Files::isRegularFile).forEach(p -> files.add(new FileInfo(p, null)));
        } catch (IOException e) {
            // no chunks folder yet: the snapshot is the meta file alone
        }
        return new FileListSnapshotInfo(files, meta.termIndex());
    }

    @Override
    public void format() {
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
        // A snapshot is the live files plus one meta file: there is never an old one to clean.
    }
}
