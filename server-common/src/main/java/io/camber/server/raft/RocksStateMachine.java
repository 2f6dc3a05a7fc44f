package io.camber.server.raft;

import io.camber.server.rocks.RocksStore;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.FileUtils;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
public abstract class RocksStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(RocksStateMachine.class);

    private final Path dataDir;
    private final List<String> columnFamilies;
    private final long memoryBudget;
    private final CheckpointSnapshots snapshots;
    // Queries read while applies write; reinitialize swaps the store under the write lock.
    private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
    private volatile RocksStore store;
    private final java.util.concurrent.atomic.AtomicLong snapshotInstalls = new java.util.concurrent.atomic.AtomicLong();

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

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        snapshots.init(raftStorage);
        getLifeCycle().startAndTransition(this::open);
    }

    @Override
    public void pause() {
        // Ratis pauses the state machine before it swaps in a snapshot from the leader.
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    private void open() {
        store = new RocksStore(dataDir.resolve("db"), columnFamilies, memoryBudget);
        long[] applied = store.lastApplied();
        setLastAppliedTermIndex(TermIndex.valueOf(applied[0], applied[1]));
        loaded(store);
        LOG.info("event=state-opened dir={} lastApplied={}", dataDir, getLastAppliedTermIndex());
    }

    @Override
    public void reinitialize() throws IOException {
        storeLock.writeLock().lock();
        try {
            // A snapshot from the leader was installed: replace the live database with its checkpoint.
            if (store != null) {
                store.close();
            }
            Path db = dataDir.resolve("db");
            FileUtils.deleteFully(db);
            Files.createDirectories(db);
            try (Stream<Path> files = Files.list(snapshots.checkpointDir())) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, db.resolve(f.getFileName()));
                }
            }
            getLifeCycle().transition(LifeCycle.State.STARTING);
            open();
            getLifeCycle().transition(LifeCycle.State.RUNNING);
            snapshotInstalls.incrementAndGet();
            LOG.info("event=snapshot-installed lastApplied={}", getLastAppliedTermIndex());
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /** How many snapshots from the leader this replica installed since it started. */
    public long snapshotInstalls() {
        return snapshotInstalls.get();
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
