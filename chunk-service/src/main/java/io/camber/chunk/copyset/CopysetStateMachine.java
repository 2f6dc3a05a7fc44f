package io.camber.chunk.copyset;

import io.camber.chunk.fence.EpochFence;
import io.camber.chunk.store.ChunkFilePool;
import io.camber.chunk.store.ChunkLayout;
import io.camber.chunk.store.ChunkMeta;
import io.camber.chunk.store.ChunkStore;
import io.camber.chunk.store.CorruptPagesException;
import io.camber.chunk.store.PageChecksums;
import io.camber.chunk.store.SpaceGuard;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.NoSpaceException;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import io.camber.server.raft.ReplicaStateMachine;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One copyset's replica: applies committed chunk writes and deletes to its {@link ChunkStore} and
 * serves reads. The write payload travels inside the Raft log entry and is written to the chunk file
 * when the entry is applied (as Curve does): bytes never reach a chunk file before a majority has
 * them durable, so an entry that is later truncated cannot have clobbered committed data.
 */
public final class CopysetStateMachine extends ReplicaStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(CopysetStateMachine.class);

    private final Path dir;
    private final ChunkFilePool pool;
    private final long chunkSize;
    private final CopysetSnapshots snapshots;
    private final SpaceGuard space;
    private final ApplyBackoff backoff;
    private boolean snapshotFailing;
    private final EpochFence fence = new EpochFence();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final CorruptReads corruptReads;
    private final CatchUp catchUp;
    private final SnapshotFetch fetch;
    /** A leader's snapshot fetched completely, to be swapped in when Ratis reloads this state machine. */
    private volatile SnapshotManifest fetched;
    private volatile ChunkStore store;

    /** A replica keeping its chunks under copysetDir; space says whether the disk can take a write. */
    public CopysetStateMachine(Path copysetDir, ChunkFilePool pool, long chunkSize, SpaceGuard space) {
        this(copysetDir, pool, chunkSize, space, CorruptReads.REFUSE, null);
    }

    /**
     * As above; corruptReads answers reads whose pages here fail their checksums, catchUp fetches a leader's snapshot
     * when the leader's log no longer holds what this replica misses (null: never, for tests of one replica).
     */
    public CopysetStateMachine(Path copysetDir, ChunkFilePool pool, long chunkSize, SpaceGuard space,
            CorruptReads corruptReads, CatchUp catchUp) {
        this.corruptReads = corruptReads;
        this.catchUp = catchUp;
        this.dir = copysetDir;
        this.pool = pool;
        this.chunkSize = chunkSize;
        this.snapshots = new CopysetSnapshots(copysetDir);
        this.fetch = new SnapshotFetch(snapshots.fetchDir(), catchUp);
        this.space = space;
        this.backoff = ApplyBackoff.of(copysetDir.getFileName().toString());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    /** Opens the chunk files and the fence as of the last snapshot; the log replays the rest. */
    @Override
    protected void open() {
        store = new ChunkStore(dir, pool, chunkSize);
        CopysetSnapshots.Meta meta = snapshots.readMeta();
        if (meta != null) {
            fence.restore(meta.epochs());
            setLastAppliedTermIndex(meta.termIndex());
        }
    }

    /** The folder is about to be replaced by the leader's snapshot: let go of its chunk files. */
    @Override
    protected void release() {
        store.close();
    }

    @Override
    protected void adoptInstalledSnapshot() throws IOException {
        SnapshotManifest manifest = fetched;
        if (manifest != null) {
            fetch.install(manifest, dir.resolve("chunks"), snapshots);
            fetched = null;
        }
        snapshots.dropInstallDigests();
        LOG.info("event=copyset_snapshot_installed dir={} index={}", dir,
                manifest == null ? "(from the leader's stream)" : manifest.termIndex().getIndex());
    }

    /**
     * The leader's log starts after what this replica holds (it is new, or was away while the log was purged): fetch
     * the leader's snapshot (see {@link SnapshotFetch}) and tell Ratis its index; Ratis then pauses this state
     * machine, reloads it (which swaps the fetched files in) and the leader sends the log after that index. A failed
     * fetch completes exceptionally: the leader notifies again and the next fetch resumes. Ratis also notifies a new
     * replica whose leader still has its whole log; if that leader has no snapshot yet, the log is all it needs.
     */
    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo,
                                                                       TermIndex firstTermIndexInLog) {
        if (catchUp == null) {
            return CompletableFuture.failedFuture(new IOException("this replica cannot fetch snapshots"));
        }
        RaftPeerProto leaderProto = roleInfo.getFollowerInfo().getLeaderInfo().getId();
        RaftPeer leader = RaftPeer.newBuilder().setId(RaftPeerId.valueOf(leaderProto.getId()))
                .setAddress(leaderProto.getAddress()).build();
        LOG.info("event=copyset-catch-up-started dir={} leader={} leader_log_starts_at={}", dir, leader.getId(),
                firstTermIndexInLog.getIndex());
        return CompletableFuture.supplyAsync(() -> {
            try {
                SnapshotManifest manifest = fetch.fetch(RaftGroup.valueOf(getGroupId(), leader), leader.getId());
                fetched = manifest;
                // null: the leader has no snapshot; Ratis answers SNAPSHOT_UNAVAILABLE and the leader sends its log.
                return manifest == null ? null : manifest.termIndex();
            } catch (IOException | RuntimeException e) {
                LOG.warn("event=copyset-catch-up-interrupted dir={} leader={} error={} (resumes when the leader"
                        + " notifies again)", dir, leader.getId(), e.toString());
                pauseAfterFailure(); // the leader notifies again at once: not a busy loop against a leader that is down
                throw new java.util.concurrent.CompletionException(e);
            }
        }, catchUp.threads());
    }

    /**
     * Largest request a copyset accepts: 1 MiB of payload plus the headers of a full batch (clients split larger
     * writes and cap batches at 1 MiB).
     */
    static final int MAX_REQUEST = (1 << 20) + (ChunkRequest.MAX_BATCH + 1) * ChunkRequest.HEADER;

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        int size = request.getMessage().getContent().size();
        if (size > MAX_REQUEST) {
            // Refused before it reaches the log: an oversized entry would not fit the log's write buffer.
            trx.setException(new IOException("chunk request of " + size + " bytes exceeds " + MAX_REQUEST
                    + ": split writes into pieces of at most 1 MiB"));
        } else {
            refuseIfDiskFull(trx, request);
        }
        return trx;
    }

    /**
     * Refuses a write with NO_SPACE on the leader, before it enters the log, when this disk cannot take it:
     * once an entry is committed every replica has to apply it, and a replica that cannot must stall (see
     * {@link ApplyBackoff}). Followers do not check; the reserve covers entries already accepted. Deletes and
     * fences always pass: they are small, and deletes are how space comes back.
     */
    private void refuseIfDiskFull(TransactionContext trx, RaftClientRequest request) {
        try {
            ChunkRequest r = ChunkRequest.decode(request.getMessage().getContent().asReadOnlyByteBuffer());
            List<ChunkRequest> writes = (r.op() == ChunkRequest.Op.BATCH ? r.batch() : List.of(r)).stream()
                    .filter(one -> one.op() == ChunkRequest.Op.WRITE).toList();
            if (!writes.isEmpty()) {
                // A batch is one entry: refused whole, each of its callers gets NO_SPACE.
                NoSpaceException refusal = space.refuseWrite(newChunks(writes));
                if (refusal != null) {
                    trx.setException(refusal);
                }
            }
        } catch (CamberException e) {
            // Malformed: let it through, applying it answers INVALID_ARGUMENT the same way on every replica.
        }
    }

    /** Chunks the writes would create here: those they write to that this replica does not hold yet. */
    private int newChunks(List<ChunkRequest> writes) {
        return (int) writes.stream().mapToLong(ChunkRequest::chunkId).distinct()
                .filter(id -> !store.stat(id).exists()).count();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteBuffer bytes = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        ChunkReply reply;
        try {
            ChunkRequest request = ChunkRequest.decode(bytes);
            // IO errors stall this replica instead of failing the entry; ApplyBackoff says why.
            reply = backoff.run(entry.getIndex(), () -> apply(request, entry.getIndex()), this::closing);
        } catch (CamberException e) {
            reply = ChunkReply.failure(e);
        } catch (ApplyBackoff.Abandoned e) {
            // Closing anyway. The applied index stays before this entry, so it is applied again on reopening.
            LOG.warn("event=apply_abandoned dir={} index={} error={}", dir, entry.getIndex(), e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(message(reply));
    }

    private ChunkReply apply(ChunkRequest r, long index) {
        switch (r.op()) {
            case BATCH -> {
                // Client-side group commit: many requests, one entry, one fsync. Each is applied and answered on
                // its own, in order, as if it had come in its own entry.
                List<ChunkReply> replies = new ArrayList<>(r.length());
                for (ChunkRequest one : r.batch()) {
                    try {
                        replies.add(apply(one, index));
                    } catch (CamberException e) {
                        replies.add(ChunkReply.failure(e));
                    }
                }
                return ChunkReply.batch(replies);
            }
            case WRITE -> {
                fence.admit(r.volumeId(), r.epoch());
                store.write(r.chunkId(), r.offset(), r.data(), index);
                writes.incrementAndGet();
                return ChunkReply.ok(r.length(), null);
            }
            case FENCE -> {
                fence.admit(r.volumeId(), r.epoch());
                return ChunkReply.ok(r.epoch(), null);
            }
            case DELETE -> {
                fence.admit(r.volumeId(), r.epoch());
                return ChunkReply.ok(store.delete(r.chunkId()) ? 1 : 0, null);
            }
            case REPAIR -> {
                // The same decision on every replica: a write that reached the chunk after the good bytes were read
                // changed its sequence, and then the repair is dropped (the next scrub looks again).
                ChunkMeta now = store.stat(r.chunkId());
                if (!now.exists() || now.sequence() != r.epoch()) {
                    return ChunkReply.ok(0, null);
                }
                store.write(r.chunkId(), r.offset(), r.data(), index);
                return ChunkReply.ok(1, null);
            }
            default -> throw CamberException.invalid(r.op() + " is a read: send it as a read-only query");
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        ChunkReply reply;
        ChunkRequest r = null;
        try {
            r = ChunkRequest.decode(request.getContent().asReadOnlyByteBuffer());
            reply = switch (r.op()) {
                case READ -> {
                    if (r.length() > ChunkRequest.MAX_READ) {
                        throw CamberException.invalid("read of " + r.length() + " bytes exceeds "
                                + ChunkRequest.MAX_READ + ": split reads into pieces of at most 1 MiB");
                    }
                    reads.incrementAndGet();
                    yield ChunkReply.ok(r.length(), store.read(r.chunkId(), r.offset(), r.length()));
                }
                case SCRUB -> scrubReply(r);
                case SNAPSHOT_LIST -> snapshotList();
                case SNAPSHOT_READ -> snapshotRead(r);
                case STAT -> ChunkReply.ok(store.stat(r.chunkId()).sequence(), null);
                default -> throw CamberException.invalid(r.op() + " changes state: send it as a write");
            };
        } catch (CamberException e) {
            reply = ChunkReply.failure(e);
        } catch (CorruptPagesException e) {
            // Never answered with bytes that fail their checksum: another replica answers instead.
            return corruptReads.answer(getGroupId(), r, e, lastAppliedIndex()).thenApply(CopysetStateMachine::message);
        }
        return CompletableFuture.completedFuture(message(reply));
    }

    /**
     * Reads on a named replica (the scrub and the corrupt-read fallback): answered now, or refused when this replica
     * has not applied minIndex yet. Ratis 3.3's default parks the read until an apply with an unchanged index, which
     * in practice never comes.
     */
    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        if (lastAppliedIndex() < minIndex) {
            return CompletableFuture.completedFuture(message(ChunkReply.failure(new CamberException(
                    ErrorCode.UNAVAILABLE, "replica has applied " + lastAppliedIndex() + " of " + minIndex))));
        }
        return query(request);
    }

    private static void pauseAfterFailure() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This replica's latest snapshot and the chunks it holds now, for a replica catching up from it. */
    private ChunkReply snapshotList() {
        CopysetSnapshots.Meta meta = snapshots.latestMeta();
        if (meta == null) {
            throw new CamberException(ErrorCode.NOT_FOUND, "no snapshot taken here yet");
        }
        SnapshotManifest manifest = new SnapshotManifest(meta.termIndex(), meta.epochs(),
                ChunkLayout.of(chunkSize).fileSize(), store.chunkIds());
        return ChunkReply.ok(0, manifest.encode());
    }

    /** Bytes of a chunk file as they are on disk; NOT_FOUND once the chunk was deleted. */
    private ChunkReply snapshotRead(ChunkRequest r) {
        long fileSize = ChunkLayout.of(chunkSize).fileSize();
        if (r.chunkId() < 0 || r.offset() < 0 || r.length() < 0 || r.length() > ChunkRequest.MAX_READ
                || r.offset() + r.length() > fileSize) {
            throw CamberException.invalid("snapshot read of " + r.length() + " bytes at " + r.offset()
                    + " is outside a chunk file of " + fileSize + " bytes (at most " + ChunkRequest.MAX_READ + ")");
        }
        ByteBuffer bytes = ByteBuffer.allocate(r.length());
        try (FileChannel ch = FileChannel.open(store.fileOf(r.chunkId()), StandardOpenOption.READ)) {
            while (bytes.hasRemaining() && ch.read(bytes, r.offset() + bytes.position()) >= 0) {
                // a chunk file has its full size from the pool on: a short read only ends at its end
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CamberException(ErrorCode.NOT_FOUND, "chunk " + r.chunkId() + " is not here (deleted)");
        } catch (IOException e) {
            throw new CamberException(ErrorCode.INTERNAL, "cannot read chunk file " + r.chunkId() + ": " + e);
        }
        if (bytes.hasRemaining()) {
            throw new CamberException(ErrorCode.INTERNAL, "chunk file " + r.chunkId() + " is shorter than "
                    + fileSize + " bytes");
        }
        return ChunkReply.ok(r.length(), bytes.flip());
    }

    /** value: the chunk's sequence; data: 8 bytes per page (see {@link PageChecksums}), then the bytes if asked. */
    private ChunkReply scrubReply(ChunkRequest r) {
        if (r.length() > ChunkRequest.MAX_READ) {
            throw CamberException.invalid("scrub of " + r.length() + " bytes exceeds " + ChunkRequest.MAX_READ);
        }
        boolean withBytes = r.volumeId() == 1;
        ByteBuffer bytes = withBytes ? ByteBuffer.allocate(r.length()) : null;
        PageChecksums view = store.scrub(r.chunkId(), r.offset(), r.length(), bytes);
        if (view.sequence() > lastAppliedIndex()) {
            // Replaying the log after a restart: the chunk's meta is newer than the bytes being rewritten.
            throw new CamberException(ErrorCode.UNAVAILABLE, "replica is replaying its log; scrub it later");
        }
        ByteBuffer out = ByteBuffer.allocate(view.checksums().length * 8 + (withBytes ? r.length() : 0));
        for (long checksum : view.checksums()) {
            out.putLong(checksum);
        }
        if (withBytes) {
            out.put(bytes);
        }
        return ChunkReply.ok(view.sequence(), out.flip());
    }

    private long lastAppliedIndex() {
        TermIndex last = getLastAppliedTermIndex();
        return last == null ? 0 : last.getIndex();
    }

    private static Message message(ChunkReply reply) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(reply.encode()));
    }

    /** Whether Ratis is closing this replica (server stop, group removal): a stalled apply then gives up. */
    private boolean closing() {
        RaftServer server = getServer().getNow(null);
        try {
            return server != null && !server.getDivision(getGroupId()).getInfo().isAlive();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        try {
            // Chunk files are written without fsync; make them durable before the log behind them is purged.
            store.sync();
            snapshots.writeMeta(new CopysetSnapshots.Meta(last, fence.snapshot()));
        } catch (IOException | UncheckedIOException e) {
            // An exception here would close the group for good. Keeping the previous snapshot is safe instead:
            // the log after it is not purged, so it still holds every write the failed sync did not cover.
            long kept = previousSnapshotIndex();
            if (!snapshotFailing) {
                snapshotFailing = true;
                LOG.error("event=snapshot_failed dir={} index={} kept={} error={}", dir, last.getIndex(), kept,
                        String.valueOf(e.getCause() == null ? e : e.getCause()));
            }
            return kept;
        }
        if (snapshotFailing) {
            snapshotFailing = false;
            LOG.info("event=snapshot_recovered dir={} index={}", dir, last.getIndex());
        }
        return last.getIndex();
    }

    private long previousSnapshotIndex() {
        try {
            CopysetSnapshots.Meta meta = snapshots.readMeta();
            return meta == null ? -1 : meta.termIndex().getIndex();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether this replica is retrying an entry it could not apply (disk full or failing here). */
    public boolean applyStalled() {
        return backoff.stalled();
    }

    @Override
    public void close() throws IOException {
        super.close();
        if (store != null) {
            store.close();
        }
    }

    /** Bytes of data per chunk. */
    public long chunkSize() {
        return chunkSize;
    }

    /** The chunks of this replica; for tests that compare replicas byte for byte. */
    public ChunkStore store() {
        return store;
    }

    public Map<Long, Long> epochs() {
        return fence.snapshot();
    }

    /** Writes applied and reads served by this replica since start. */
    public long[] ioCounts() {
        return new long[] {writes.get(), reads.get()};
    }



}
