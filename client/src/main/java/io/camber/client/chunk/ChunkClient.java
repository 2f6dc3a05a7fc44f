package io.camber.client.chunk;

import io.camber.common.api.CopysetInfo;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import io.camber.common.chunk.CopysetIds;
import io.camber.common.chunk.DataFrame.Kind;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sends chunk requests straight to copyset leaders over the data protocol ({@link LeaderCalls}): one hop, no Ratis
 * client. Writes, deletes and fences to one copyset are grouped into batch entries while earlier ones are on
 * their way ({@link CopysetWriteQueue}); requests to many copysets run in parallel, bounded by the payload bytes
 * in flight. No call here blocks a thread.
 */
public final class ChunkClient implements AutoCloseable {
    /** Entries in flight per copyset before further writes wait to leave as one batch. */
    static final int ENTRIES_IN_FLIGHT = 2;

    private final Map<UUID, CopysetWriteQueue> queues = new ConcurrentHashMap<>();
    private final DataConnections connections;
    private final LeaderCalls calls;
    private final InFlightBudget budget;
    private final DataTokens tokens = new DataTokens();

    /** A client that keeps at most inFlightBytes of payload outstanding. */
    public ChunkClient(long inFlightBytes) {
        this(inFlightBytes, Duration.ofSeconds(30));
    }

    /**
     * A client that keeps at most inFlightBytes of payload outstanding and gives up on a request (UNAVAILABLE) when
     * no leader of its copyset answered it within deadline.
     */
    public ChunkClient(long inFlightBytes, Duration deadline) {
        this.connections = new DataConnections(2, Duration.ofSeconds(2));
        this.calls = new LeaderCalls(connections, tokens, Duration.ofSeconds(5), deadline);
        this.budget = new InFlightBudget(Math.max(1 << 20, inFlightBytes));
    }

    /**
     * Hands over the data-plane token the MDS issued for a volume (base64url, from its session; null is ignored):
     * requests of that volume carry it from now on. A cluster token (any volume) covers every request.
     */
    public void authorize(String token) {
        tokens.put(token);
    }

    /**
     * Where this client looks copysets up again when their members change (the MDS's copyset list, as
     * {@code MdsAdminClient.copysets("")} answers it): without one, a copyset whose lost replica was rebuilt on
     * another chunk server stays reachable only through its old members.
     */
    public ChunkClient useCopysetDirectory(Supplier<CompletableFuture<List<CopysetInfo>>> lookup) {
        calls.useDirectory(lookup);
        return this;
    }

    /** Largest payload of one chunk write, and of one batch entry: bounded to keep copyset memory small. */
    public static final int MAX_WRITE = 1 << 20;

    /** Writes data at offset of a chunk, fenced by the volume's epoch; completes once a majority committed it. */
    public CompletableFuture<Void> write(CopysetInfo copyset, long volumeId, long epoch, long chunkId, long offset,
                                         ByteBuffer data) {
        if (data.remaining() <= MAX_WRITE) {
            return logged(copyset, ChunkRequest.write(volumeId, epoch, chunkId, offset, data)).thenApply(x -> null);
        }
        List<CompletableFuture<ChunkReply>> parts = new ArrayList<>();
        for (int done = 0; done < data.remaining(); done += MAX_WRITE) {
            int len = Math.min(MAX_WRITE, data.remaining() - done);
            parts.add(logged(copyset, ChunkRequest.write(volumeId, epoch, chunkId, offset + done,
                    data.slice(data.position() + done, len))));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /** Largest read in one request; longer reads are split, so every reply fits one data frame. */
    public static final int MAX_READ = ChunkRequest.MAX_READ;

    /** Reads length bytes at offset of a chunk, with a cluster token (see {@link #authorize}); zeros if unwritten. */
    public CompletableFuture<ByteBuffer> read(CopysetInfo copyset, long chunkId, long offset, int length) {
        return read(copyset, 0, chunkId, offset, length);
    }

    /** Reads length bytes at offset of a chunk of the volume; never-written ranges are zeros. */
    public CompletableFuture<ByteBuffer> read(CopysetInfo copyset, long volumeId, long chunkId, long offset,
                                              int length) {
        if (length <= MAX_READ) {
            return readPiece(copyset, volumeId, chunkId, offset, length);
        }
        List<CompletableFuture<ByteBuffer>> pieces = new ArrayList<>();
        for (int done = 0; done < length; done += MAX_READ) {
            pieces.add(readPiece(copyset, volumeId, chunkId, offset + done, Math.min(MAX_READ, length - done)));
        }
        return CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new)).thenApply(x -> {
            ByteBuffer all = ByteBuffer.allocate(length);
            pieces.forEach(p -> all.put(p.join()));
            return all.flip();
        });
    }

    private CompletableFuture<ByteBuffer> readPiece(CopysetInfo copyset, long volumeId, long chunkId, long offset,
                                                    int length) {
        // The volume id travels so the chunk server can check the token; reads ignore it otherwise.
        ByteBuffer request = new ChunkRequest(ChunkRequest.Op.READ, volumeId, 0, chunkId, offset, length, null)
                .encodeHeader();
        return bounded(length, () -> calls.call(copyset, Kind.READ, new long[] {volumeId, DataTokens.ANY_EPOCH}, request))
                .thenApply(r -> r.orThrow().data());
    }

    /** Makes a copyset refuse writes of the volume older than epoch; completes once committed. */
    public CompletableFuture<Void> fence(CopysetInfo copyset, long volumeId, long epoch) {
        return logged(copyset, ChunkRequest.fence(volumeId, epoch)).thenApply(r -> null);
    }

    /** Deletes a chunk; answers whether it existed. */
    public CompletableFuture<Boolean> delete(CopysetInfo copyset, long volumeId, long epoch, long chunkId) {
        return logged(copyset, ChunkRequest.delete(volumeId, epoch, chunkId)).thenApply(r -> r.value() == 1);
    }

    /** A request that goes into the copyset's log, through its write queue; fails with the copyset's error code. */
    private CompletableFuture<ChunkReply> logged(CopysetInfo copyset, ChunkRequest r) {
        CopysetWriteQueue queue = queue(copyset);
        return bounded(r.data() == null ? 0 : r.data().remaining(), () -> queue.submit(r))
                .thenApply(ChunkReply::orThrow);
    }

    private CompletableFuture<ChunkReply> bounded(int bytes, Supplier<CompletableFuture<ChunkReply>> call) {
        return budget.acquire(bytes).thenCompose(x -> {
            CompletableFuture<ChunkReply> sent;
            try {
                sent = call.get();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            return sent.whenComplete((r, e) -> budget.release(bytes));
        });
    }

    private CopysetWriteQueue queue(CopysetInfo c) {
        return queues.computeIfAbsent(CopysetIds.groupUuid(c.logicalPoolId(), c.copysetId()),
                g -> new CopysetWriteQueue((volumes, parts) -> calls.call(c, Kind.WRITE, volumes, parts),
                        ENTRIES_IN_FLIGHT, MAX_WRITE));
    }

    @Override
    public void close() {
        connections.close();
        queues.clear();
    }
}
