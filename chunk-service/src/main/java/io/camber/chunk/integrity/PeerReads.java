package io.camber.chunk.integrity;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import io.camber.server.raft.RaftSettings;
import io.camber.server.raft.RaftTls;
import io.camber.server.raft.RatisProperties;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads from one named replica of a copyset: Ratis stale reads, answered by that replica's state machine once it has
 * applied at least a given index, without going through the leader. One client per copyset, rebuilt when the
 * copyset's members change or a read fails.
 *
 * <p>Blocking calls on its own threads, not the async API: Ratis 3.3's async client orders requests per peer in a
 * sliding window that, after one failure without retries (a peer restarting), refuses every later request for good.
 */
public final class PeerReads implements AutoCloseable {
    private final RaftSettings raft;
    private final RaftTls tls;
    private final Map<RaftGroupId, Client> clients = new ConcurrentHashMap<>();
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chunk-peer-read");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    private record Client(RaftGroup group, RaftClient raft) {
    }

    public PeerReads(RaftSettings raft, RaftTls tls) {
        this.raft = raft;
        this.tls = tls;
    }

    /**
     * Sends a read-only request to peer, answered once peer applied minIndex; completes exceptionally (never retries)
     * when it cannot answer within a few seconds. Never blocks the caller.
     */
    public CompletableFuture<ChunkReply> ask(RaftGroup group, RaftPeerId peer, ChunkRequest request, long minIndex) {
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(request.encodeHeader()));
        return onPeer(group, peer, raft -> {
            RaftClientReply reply = raft.io().sendStaleRead(message, minIndex, peer);
            if (!reply.isSuccess()) {
                throw new CamberException(ErrorCode.UNAVAILABLE, "replica " + peer + " did not answer: "
                        + reply.getException());
            }
            return reply;
        }).thenApply(reply -> ChunkReply.decode(reply.getMessage().getContent().asReadOnlyByteBuffer()));
    }

    /**
     * Completes once peer runs the group with its Raft log open (Ratis' group info answers only then); fails if it
     * does not, or cannot say within a few seconds. Never blocks the caller.
     */
    public CompletableFuture<Void> groupOpen(RaftGroup group, RaftPeerId peer) {
        return onPeer(group, peer, raft -> {
            org.apache.ratis.protocol.GroupInfoReply reply = raft.getGroupManagementApi(peer).info(group.getGroupId());
            if (!reply.isSuccess()) {
                throw new CamberException(ErrorCode.UNAVAILABLE, "replica " + peer + " does not run the group yet: "
                        + reply.getException());
            }
            return null;
        });
    }

    /** One blocking call to peer on this class's threads; a client that fails it is dropped, to be rebuilt. */
    private <T> CompletableFuture<T> onPeer(RaftGroup group, RaftPeerId peer, PeerCall<T> call) {
        if (closed) {
            return CompletableFuture.failedFuture(new CamberException(ErrorCode.UNAVAILABLE, "chunk server closing"));
        }
        return CompletableFuture.supplyAsync(() -> {
            Client client = client(group);
            try {
                return call.on(client.raft());
            } catch (CamberException e) {
                throw e; // the peer answered, with a refusal
            } catch (IOException | RuntimeException e) {
                forget(group, client);
                throw new CamberException(ErrorCode.UNAVAILABLE, "replica " + peer + " did not answer: " + e);
            }
        }, calls);
    }

    @FunctionalInterface
    private interface PeerCall<T> {
        T on(RaftClient raft) throws IOException;
    }

    private synchronized Client client(RaftGroup group) {
        Client current = clients.get(group.getGroupId());
        if (current != null && current.group().equals(group)) {
            return current;
        }
        RaftClient.Builder builder = RaftClient.newBuilder();
        if (tls.enabled()) {
            builder.setParameters(tls.parameters());
        }
        Client fresh = new Client(group, builder.setProperties(RatisProperties.client(raft, Duration.ofSeconds(5)))
                .setRaftGroup(group).setRetryPolicy(RetryPolicies.noRetry()).build());
        Client old = clients.put(group.getGroupId(), fresh);
        if (old != null) {
            closeQuietly(old.raft());
        }
        return fresh;
    }

    /** Drops a copyset's client if it still is {@code broken} (null: whichever it is). */
    void forget(RaftGroupId group, Client broken) {
        Client old = broken == null ? clients.remove(group) : clients.remove(group, broken) ? broken : null;
        if (old != null) {
            closeQuietly(old.raft());
        }
    }

    private void forget(RaftGroup group, Client broken) {
        forget(group.getGroupId(), broken);
    }

    @Override
    public void close() {
        closed = true;
        calls.shutdown();
        clients.keySet().forEach(g -> forget(g, null));
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // Its pending reads fail; the scrub retries them next round.
        }
    }
}
