package io.camber.client.chunk;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import io.camber.common.chunk.CopysetIds;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends chunk requests straight to copyset leaders. One Ratis client per copyset finds the leader
 * and follows its NotLeader redirects; retries reuse the call id, so the copyset applies a retried
 * write once. Writes, deletes and fences to one copyset are grouped into batch entries while earlier
 * ones are on their way ({@link CopysetWriteQueue}); requests to many copysets run in parallel, bounded
 * by the payload bytes in flight. No call here blocks a thread.
 */
public final class ChunkClient implements AutoCloseable {
    /** Entries in flight per copyset before further writes wait to leave as one batch. */
    static final int ENTRIES_IN_FLIGHT = 2;

    private final Map<RaftGroupId, RaftClient> clients = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, CopysetWriteQueue> queues = new ConcurrentHashMap<>();
    private final RaftProperties props = new RaftProperties();
    private final InFlightBudget budget;

    /** A client that keeps at most inFlightBytes of payload outstanding. */
    public ChunkClient(long inFlightBytes) {
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        GrpcConfigKeys.setMessageSizeMax(props, SizeInBytes.valueOf("64MB"));
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(props, 1024);
        this.budget = new InFlightBudget(Math.max(1 << 20, inFlightBytes));
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

    /** Reads length bytes at offset of a chunk; never-written ranges are zeros. */
    public CompletableFuture<ByteBuffer> read(CopysetInfo copyset, long chunkId, long offset, int length) {
        Message m = Message.valueOf(UnsafeByteOperations.unsafeWrap(ChunkRequest.read(chunkId, offset, length)
                .encodeHeader()));
        return bounded(length, () -> client(copyset).async().sendReadOnly(m).thenApply(ChunkClient::decode)
                .exceptionally(ChunkClient::refused))
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

    /**
     * A copyset refuses a request before it enters the log (NO_SPACE) by failing it in startTransaction. Ratis
     * fails the call with a StateMachineException around the CamberException it rebuilt on this side: unwrap it,
     * so callers see the code. Any other failure passes through unchanged.
     */
    static ChunkReply refused(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StateMachineException sme && sme.getCause() instanceof CamberException refusal) {
            throw new CompletionException(refusal);
        }
        throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
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

    /** The copyset's answer, success or refusal; a request Ratis itself could not deliver fails as UNAVAILABLE. */
    private static ChunkReply decode(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(new CamberException(ErrorCode.UNAVAILABLE,
                    "copyset " + reply.getRaftGroupId() + " could not serve the request: " + reply.getException()));
        }
        return ChunkReply.decode(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    private CopysetWriteQueue queue(CopysetInfo c) {
        return queues.computeIfAbsent(groupId(c), g -> new CopysetWriteQueue(
                bytes -> client(c).async().send(Message.valueOf(bytes)).thenApply(ChunkClient::decode)
                        .exceptionally(ChunkClient::refused),
                ENTRIES_IN_FLIGHT, MAX_WRITE));
    }

    private static RaftGroupId groupId(CopysetInfo c) {
        return RaftGroupId.valueOf(CopysetIds.groupUuid(c.logicalPoolId(), c.copysetId()));
    }

    private RaftClient client(CopysetInfo c) {
        return clients.computeIfAbsent(groupId(c), g -> {
            List<RaftPeer> peers = new ArrayList<>();
            for (int i = 0; i < c.chunkServers().size(); i++) {
                peers.add(RaftPeer.newBuilder().setId("cs" + c.chunkServers().get(i)).setAddress(c.addresses().get(i))
                        .build());
            }
            return RaftClient.newBuilder().setProperties(props).setRaftGroup(RaftGroup.valueOf(g, peers))
                    // Leader changes take a few election timeouts; give up only well after that.
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(150,
                            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                    .build();
        });
    }

    @Override
    public void close() throws IOException {
        for (RaftClient c : clients.values()) {
            c.close();
        }
        clients.clear();
        queues.clear();
    }
}
