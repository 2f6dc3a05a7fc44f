package io.camber.chunk.copyset;

import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the copysets of one chunk server share to catch up from their leaders' snapshots (see {@link SnapshotFetch}):
 * reads sent to one named replica over Raft, a few threads that fetch (a fetch blocks on one read at a time), and
 * the count of bytes fetched, for metrics.
 */
public final class CatchUp implements AutoCloseable {
    /** Sends a read-only request to one replica of a group, answered once it applied minIndex. */
    @FunctionalInterface
    public interface ReplicaReads {
        CompletableFuture<ChunkReply> ask(RaftGroup group, RaftPeerId peer, ChunkRequest request, long minIndex);
    }

    /** Copysets fetched at once; more wait their turn, which bounds the disk and network a recovery takes. */
    static final int PARALLEL_FETCHES = 2;

    private final ReplicaReads reads;
    private final ExecutorService threads = Executors.newFixedThreadPool(PARALLEL_FETCHES, r -> {
        Thread t = new Thread(r, "copyset-catch-up");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder bytesFetched = new LongAdder();
    private final LongAdder snapshotsFetched = new LongAdder();

    public CatchUp(ReplicaReads reads) {
        this.reads = reads;
    }

    ReplicaReads reads() {
        return reads;
    }

    ExecutorService threads() {
        return threads;
    }

    void fetched(long bytes) {
        bytesFetched.add(bytes);
    }

    void finished() {
        snapshotsFetched.increment();
    }

    /** Bytes of chunk files fetched from leaders since start. */
    public long bytesFetched() {
        return bytesFetched.sum();
    }

    /** Leader snapshots fetched completely since start. */
    public long snapshotsFetched() {
        return snapshotsFetched.sum();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
