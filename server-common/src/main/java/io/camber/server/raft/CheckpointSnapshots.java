package io.camber.server.raft;

import io.camber.server.rocks.RocksStore;
import io.camber.server.storage.DirectorySync;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.util.FileUtils;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Snapshots as RocksDB checkpoints. The current snapshot is a folder holding a checkpoint and a
 * {@code snapshot.meta} file with its term and index; Ratis ships that folder to a lagging follower
 * and swaps it in whole, then the state machine reopens its database from it.
 */
final class CheckpointSnapshots implements StateMachineStorage {
    private static final String META_FILE = "snapshot.meta";
    private static final String CHECKPOINT = "checkpoint";

    private final Path current;
    private final Path tmp;
    /** The current snapshot's term and index, kept in memory: Ratis asks on every append to every follower. */
    private volatile TermIndex latest;

    CheckpointSnapshots(Path dataDir) {
        this.current = dataDir.resolve("snapshot");
        this.tmp = dataDir.resolve("snapshot-tmp");
    }

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        Files.createDirectories(tmp);
    }

    @Override
    public File getSnapshotDir() {
        return current.toFile();
    }

    @Override
    public File getTmpDir() {
        return tmp.toFile();
    }

    /** The checkpoint folder of the current snapshot (a RocksDB directory). */
    Path checkpointDir() {
        return current.resolve(CHECKPOINT);
    }

    /** Takes a checkpoint of the store at (term, index) and makes it the current snapshot atomically. */
    void take(RocksStore store, long term, long index) throws IOException {
        Path staging = current.resolveSibling("snapshot-new");
        FileUtils.deleteFully(staging);
        Files.createDirectories(staging);
        store.checkpoint(staging.resolve(CHECKPOINT));
        Path meta = staging.resolve(META_FILE);
        Files.writeString(meta, term + " " + index, StandardCharsets.US_ASCII);
        try (var ch = java.nio.channels.FileChannel.open(meta, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path old = current.resolveSibling("snapshot-old");
        FileUtils.deleteFully(old);
        if (Files.exists(current)) {
            Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, current, StandardCopyOption.ATOMIC_MOVE);
        // Ratis purges the log behind this snapshot once takeSnapshot returns: the rename must survive a power loss.
        DirectorySync.sync(current.getParent());
        FileUtils.deleteFully(old);
        latest = TermIndex.valueOf(term, index);
    }

    /** The current snapshot; its files are listed only when Ratis ships it. */
    @Override
    public SnapshotInfo getLatestSnapshot() {
        TermIndex termIndex = latest;
        if (termIndex == null) {
            return null;
        }
        return new SnapshotInfo() {
            @Override
            public TermIndex getTermIndex() {
                return termIndex;
            }

            @Override
            public List<FileInfo> getFiles() {
                List<FileInfo> files = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(current)) {
                    walk.filter(Files::isRegularFile).forEach(p -> files.add(new FileInfo(p, null)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list snapshot " + current, e);
                }
                return files;
            }
        };
    }

    /** The term and index recorded with the current snapshot, or null when none exists; read from disk. */
    TermIndex readTermIndex() {
        latest = readFromDisk();
        return latest;
    }

    private TermIndex readFromDisk() {
        Path meta = current.resolve(META_FILE);
        if (!Files.exists(meta)) {
            return null;
        }
        try {
            String[] parts = Files.readString(meta, StandardCharsets.US_ASCII).trim().split(" ");
            return TermIndex.valueOf(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void format() {
        // Nothing to format: folders are created on demand.
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
        // Only one snapshot is ever kept; take() replaces it atomically.
    }
}
