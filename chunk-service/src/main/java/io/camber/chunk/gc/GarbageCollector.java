package io.camber.chunk.gc;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.registration.MdsClient;
import io.camber.common.chunk.CopysetIds;
import io.camber.common.api.ChunkGarbage;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frees the chunks of deleted volumes: asks the MDS for the garbage on this server's copysets, deletes through
 * the copysets it leads (a replicated DELETE, so every replica returns the chunk file to its pool), and reports
 * what was deleted so the MDS forgets it. Runs on the heartbeat thread, one round per heartbeat; copysets led
 * elsewhere are left to their leader.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    /** Chunks asked for per round: enough to keep up with deletes, small enough for one heartbeat. */
    static final int ROUND = 256;
    private static final long ROUND_TIMEOUT_SECONDS = 30;

    private final long chunkServerId;
    private final MdsClient mds;
    private final CopysetServer copysets;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicLong deletedChunks = new AtomicLong();

    public GarbageCollector(long chunkServerId, MdsClient mds, CopysetServer copysets) {
        this.chunkServerId = chunkServerId;
        this.mds = mds;
        this.copysets = copysets;
    }

    /** Chunks this server deleted (as leader) since it started. */
    public long deletedChunks() {
        return deletedChunks.get();
    }

    /** One round: deletes what it can of the garbage on copysets this server leads, and reports it. */
    public void round() throws IOException, InterruptedException {
        Set<Long> led = new HashSet<>();
        copysets.status().stream().filter(CopysetServer.CopysetStatus::leader)
                .forEach(s -> led.add(key(s.logicalPoolId(), s.copysetId())));
        if (led.isEmpty()) {
            return;
        }
        List<ChunkGarbage> mine = mds.garbage(chunkServerId, ROUND).stream()
                .filter(g -> led.contains(key(g.logicalPoolId(), g.copysetId()))).toList();
        if (mine.isEmpty()) {
            return;
        }
        List<CompletableFuture<ChunkGarbage>> sent = new ArrayList<>();
        for (ChunkGarbage g : mine) {
            sent.add(delete(g));
        }
        List<ChunkGarbage> deleted = new ArrayList<>();
        for (CompletableFuture<ChunkGarbage> f : sent) {
            try {
                ChunkGarbage g = f.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (g != null) {
                    deleted.add(g);
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("event=garbage_delete_failed cause={}", e.toString());
            }
        }
        if (!deleted.isEmpty()) {
            mds.garbageDeleted(chunkServerId, deleted);
            deletedChunks.addAndGet(deleted.size());
            LOG.info("event=garbage_deleted chunks={} asked={}", deleted.size(), mine.size());
        }
    }

    /** Completes with g once its copyset applied the delete, or null when it refused or lost leadership. */
    private CompletableFuture<ChunkGarbage> delete(ChunkGarbage g) {
        RaftServer raft = copysets.raftServer();
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(raft.getId())
                .setGroupId(RaftGroupId.valueOf(CopysetIds.groupUuid(g.logicalPoolId(), g.copysetId())))
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(
                        ChunkRequest.delete(g.volumeId(), g.epoch(), g.chunkId()).encodeHeader())))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        try {
            return raft.submitClientRequestAsync(request).thenApply(reply -> applied(reply) ? g : null);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static boolean applied(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            return false;
        }
        ChunkReply r = ChunkReply.decode(reply.getMessage().getContent().asReadOnlyByteBuffer());
        return r.ok();
    }

    private static long key(long logicalPoolId, int copysetId) {
        return logicalPoolId << 32 | (copysetId & 0xFFFFFFFFL);
    }
}
