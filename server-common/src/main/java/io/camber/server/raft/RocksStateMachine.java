package io.camber.server.raft;

import io.camber.server.rocks.RocksStore;
import io.camber.server.storage.DirectorySync;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * A Ratis state machine whose state lives in RocksDB. Each applied entry's changes and its index are
 * written in one batch, so a restart resumes exactly after the last applied entry and skips the rest
 * of the replay; snapshots are RocksDB checkpoints.
 */
public abstract class RocksStateMachine extends ReplicaStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(RocksStateMachine.class);

    private final Path dataDir;
    private final List<String> columnFamilies;
    private final long memoryBudget;
    private final CheckpointSnapshots snapshots;
    // Queries read while applies write; reinitialize swaps the store under the write lock.
    private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
    private volatile RocksStore store;

    protected RocksStateMachine(Path dataDir, List<String> columnFamilies, long memoryBudget) {
        this.dataDir = dataDir;
        this.columnFamilies = columnFamilies;
        this.memoryBudget = memoryBudget;
        this.snapshots = new CheckpointSnapshots(dataDir);
    }

    /** Applies one command to the batch and returns the reply; thrown exceptions discard the batch. */
    protected abstract byte[] apply(byte[] command, RocksStore store, RocksStore.Batch batch, long index);

    /** Answers a read-only query from the current state. */
    protected abstract byte[] query(byte[] query, RocksStore store);

    /** Encodes a failure of apply into a reply, so every replica answers the same. */
    protected abstract byte[] failureReply(RuntimeException e);

    /** Rebuilds in-memory caches after the store was opened or replaced. */
    protected abstract void loaded(RocksStore store);

    /** The live store; for metrics and tests. */
    public RocksStore store() {
        return store;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    /**
     * Opens the database. A snapshot newer than the database means an install did not finish (a crash
     * between Ratis taking the leader's snapshot and the swap below): the swap is redone first.
     */
    @Override
    protected void open() throws IOException {
        storeLock.writeLock().lock();
        try {
            TermIndex snapshot = snapshots.readTermIndex();
            Path db = dataDir.resolve("db");
            store = new RocksStore(db, columnFamilies, memoryBudget);
            if (snapshot != null && store.lastApplied()[1] < snapshot.getIndex()) {
                store.close();
                swapInCheckpoint(db);
                store = new RocksStore(db, columnFamilies, memoryBudget);
            }
            long[] applied = store.lastApplied();
            setLastAppliedTermIndex(TermIndex.valueOf(applied[0], applied[1]));
            loaded(store);
            LOG.info("event=state_opened dir={} last_applied={}", dataDir, getLastAppliedTermIndex());
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    @Override
    protected void release() {
        storeLock.writeLock().lock();
        try {
            if (store != null) {
                store.close();
                store = null;
            }
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /**
     * Replaces the database with the snapshot's checkpoint so that a crash at any point leaves either the old
     * database or the new one: copy aside and fsync, then two renames. {@link #open()} finishes an interrupted swap.
     */
    private void swapInCheckpoint(Path db) throws IOException {
        Path incoming = db.resolveSibling("db-incoming");
        Path old = db.resolveSibling("db-old");
        FileUtils.deleteFully(incoming);
        Files.createDirectories(incoming);
        try (Stream<Path> files = Files.list(snapshots.checkpointDir())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path copy = incoming.resolve(f.getFileName());
                Files.copy(f, copy);
                try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        }
        DirectorySync.sync(incoming);
        FileUtils.deleteFully(old);
        if (Files.exists(db)) {
            Files.move(db, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(incoming, db, StandardCopyOption.ATOMIC_MOVE);
        DirectorySync.sync(db.getParent());
        FileUtils.deleteFully(old);
        LOG.info("event=checkpoint_swapped_in dir={}", db);
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        // Ratis reports configuration and leader no-op entries here, replayed ones included after a restart
        // without a snapshot; those at or below what RocksDB already holds change nothing.
        if (index > getLastAppliedTermIndex().getIndex()) {
            super.notifyTermIndexUpdated(term, index);
        }
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        if (index <= getLastAppliedTermIndex().getIndex()) {
            // Already in RocksDB from before a restart: replaying it would apply it twice.
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        byte[] command = entry.getStateMachineLogEntry().getLogData().toByteArray();
        byte[] reply;
        storeLock.readLock().lock();
        try {
            RocksStore.Batch batch = store.batch();
            try {
                reply = apply(command, store, batch, index);
            } catch (RuntimeException e) {
                batch = store.batch();
                reply = failureReply(e);
            }
            store.commit(batch, entry.getTerm(), index);
            updateLastAppliedTermIndex(entry.getTerm(), index);
        } finally {
            storeLock.readLock().unlock();
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
    }

    /**
     * A read of this replica's own store from outside Ratis' threads, under the lock that open, snapshot install and
     * close take (a read of a closed RocksDB crashes the JVM); empty while the store is closed.
     */
    public <T> java.util.Optional<T> readLocal(java.util.function.Function<RocksStore, T> read) {
        storeLock.readLock().lock();
        try {
            return store == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(read.apply(store));
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        storeLock.readLock().lock();
        try {
            byte[] reply = query(request.getContent().toByteArray(), store);
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(failureReply(e))));
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last.getIndex() < 0) {
            return -1;
        }
        storeLock.readLock().lock();
        try {
            snapshots.take(store, last.getTerm(), last.getIndex());
        } finally {
            storeLock.readLock().unlock();
        }
        LOG.info("event=snapshot-taken index={} term={}", last.getIndex(), last.getTerm());
        return last.getIndex();
    }

    @Override
    public void close() throws IOException {
        storeLock.writeLock().lock();
        try {
            super.close();
            if (store != null) {
                store.close();
                store = null;
            }
        } finally {
            storeLock.writeLock().unlock();
        }
    }
}
