package io.camber.chunk.copyset;

import io.camber.server.storage.DirectorySync;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.SnapshotInfo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Snapshots of a copyset list its chunk files in place (as Curve does) plus a meta file with the
 * snapshot's term, index and the IO fence's epochs; nothing is copied. Ratis ships the whole copyset
 * folder to a lagging replica and swaps it in.
 *
 * <p>Each snapshot's meta file is its own, named by index and never rewritten, so the index a follower
 * installs is the one Ratis chose even when a newer snapshot is taken during the transfer. The chunk
 * files are live: they may hold writes newer than that index when they are read. That is safe because
 * the follower then replays every entry after the index, and chunk writes are whole-page overwrites
 * applied in log order: each page ends with the content of its last write, whatever it held before.
 */
final class CopysetSnapshots implements StateMachineStorage {
    static final String META = "copyset.meta";
    /** Meta files kept: older ones may still be read by a transfer in progress. */
    private static final int METAS_KEPT = 3;

    private final Path dir;
    private final Path tmp;
    /**
     * The newest snapshot, kept in memory: Ratis asks for it on every append to every follower, so reading the
     * folder each time cost a sixth of the chunk service's CPU. Reset when a snapshot is installed.
     */
    private volatile Latest latest;

    /** The newest snapshot's meta file and what it records. */
    private record Latest(Path metaFile, Meta meta) {
    }

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

    /** Writes the meta file of a new snapshot durably (temp file, fsync, atomic rename), then drops old ones. */
    void writeMeta(Meta meta) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(meta.termIndex().getTerm()).append(' ').append(meta.termIndex().getIndex()).append('\n');
        meta.epochs().forEach((v, e) -> sb.append(v).append(' ').append(e).append('\n'));
        Path staging = dir.resolve(META + ".new");
        Files.writeString(staging, sb, StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path file = metaFile(meta.termIndex().getIndex());
        Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Ratis purges the log behind this snapshot once takeSnapshot returns: the rename must survive a power loss.
        DirectorySync.sync(dir);
        latest = new Latest(file, meta);
        List<Long> indexes = metaIndexes();
        for (int i = 0; i < indexes.size() - METAS_KEPT; i++) {
            Files.deleteIfExists(metaFile(indexes.get(i)));
        }
    }

    private Path metaFile(long index) {
        return dir.resolve(META + "." + index);
    }

    /** Indexes of the meta files present, oldest first. */
    private List<Long> metaIndexes() throws IOException {
        List<Long> indexes = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(META + ".") && name.substring(META.length() + 1).chars().allMatch(Character::isDigit)) {
                    indexes.add(Long.parseLong(name.substring(META.length() + 1)));
                }
            }
        }
        indexes.sort(null);
        return indexes;
    }

    /** The newest snapshot's meta file, or null before the first one. */
    private Path newestMeta() {
        try {
            List<Long> indexes = metaIndexes();
            if (!indexes.isEmpty()) {
                return metaFile(indexes.get(indexes.size() - 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        // Written by versions that kept a single, rewritten meta file.
        Path legacy = dir.resolve(META);
        return Files.exists(legacy) ? legacy : null;
    }

    /** Where a replica catching up puts the files it fetches from its leader (see SnapshotFetch). */
    Path fetchDir() {
        return tmp.resolve("fetch");
    }

    /** The newest snapshot as kept in memory, or null before the first one. */
    Meta latestMeta() {
        Latest l = latest;
        return l == null ? null : l.meta();
    }

    /** The newest snapshot, or null before the first one; read from disk, so call it after an install. */
    Meta readMeta() {
        Path file = newestMeta();
        latest = file == null ? null : new Latest(file, readMeta(file));
        return latest == null ? null : latest.meta();
    }

    private static Meta readMeta(Path file) {
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

    /** The newest snapshot; its file list is read only when Ratis ships it. */
    @Override
    public SnapshotInfo getLatestSnapshot() {
        Latest l = latest;
        if (l == null) {
            return null;
        }
        return new SnapshotInfo() {
            @Override
            public TermIndex getTermIndex() {
                return l.meta().termIndex();
            }

            @Override
            public List<FileInfo> getFiles() {
                List<FileInfo> files = new ArrayList<>();
                files.add(new FileInfo(l.metaFile(), null));
                try (var chunks = Files.list(dir.resolve("chunks"))) {
                    chunks.filter(Files::isRegularFile).sorted().forEach(p -> files.add(new FileInfo(p, null)));
                } catch (IOException e) {
                    // no chunks folder yet: the snapshot is the meta file alone
                }
                return files;
            }
        };
    }

    @Override
    public void format() {
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
        // A snapshot is the live files plus one meta file: there is never an old one to clean.
    }
}
