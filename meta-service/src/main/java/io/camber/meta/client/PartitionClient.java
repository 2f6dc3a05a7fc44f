package io.camber.meta.client;

import io.camber.meta.fs.FsError;
import io.camber.meta.partition.PartitionId;
import io.camber.meta.protocol.MetaCodec;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.server.raft.RaftSettings;
import io.camber.server.raft.RatisProperties;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Ratis client of one partition group: commands go through the log to the leader, queries are linearizable
 * reads on the leader. A group that cannot commit (no leader within the retry budget) answers EAGAIN with why.
 */
public final class PartitionClient implements AutoCloseable {
    private static final int READ_ATTEMPTS = 30;
    private static final java.util.concurrent.Executor READ_RETRY_DELAY =
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS);

    private final PartitionId partition;
    private final RaftClient client;

    public PartitionClient(PartitionId partition, List<RaftPeer> peers, RaftSettings raft) {
        this.partition = partition;
        this.client = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setProperties(RatisProperties.client(raft, Duration.ofSeconds(3)))
                .setRaftGroup(RaftGroup.valueOf(partition.groupId(), peers))
                // Bounded so a partition without a leader answers instead of hanging the caller.
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(100,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }

    public PartitionId partition() {
        return partition;
    }

    /** Replicates a command; completes with the reply once a majority has committed it and the leader applied it. */
    public CompletableFuture<MetaReply> submit(MetaCommand command) {
        return client.async().send(Message.valueOf(ByteString.copyFrom(MetaCodec.encode(command))))
                .handle((reply, error) -> decode(reply, error, command.op()));
    }

    /**
     * Reads from the partition's leader. A read that fails is sent again a few times: during an election a follower
     * refuses reads ("leader is unknown") where Ratis retries a write itself, and a read is safe to repeat.
     */
    public CompletableFuture<MetaReply> query(MetaQuery query) {
        return query(Message.valueOf(ByteString.copyFrom(MetaCodec.encode(query))), query.op(), READ_ATTEMPTS);
    }

    private CompletableFuture<MetaReply> query(Message message, String op, int attemptsLeft) {
        return client.async().sendReadOnly(message).handle((reply, error) -> {
            if ((error != null || !reply.isSuccess()) && attemptsLeft > 1) {
                return CompletableFuture.supplyAsync(() -> null, READ_RETRY_DELAY)
                        .thenCompose(ignored -> query(message, op, attemptsLeft - 1));
            }
            return CompletableFuture.completedFuture(decode(reply, error, op));
        }).thenCompose(f -> f);
    }

    /** Blocking form of {@link #submit}, for callers on their own threads (tests, tools). */
    public MetaReply submitAndWait(MetaCommand command) {
        return submit(command).join();
    }

    /** Blocking form of {@link #query}. */
    public MetaReply queryAndWait(MetaQuery query) {
        return query(query).join();
    }

    private MetaReply decode(RaftClientReply reply, Throwable error, String op) {
        if (error != null || !reply.isSuccess()) {
            Throwable cause = error != null ? error : reply.getException();
            return MetaReply.failed(FsError.EAGAIN, "partition " + partition + " could not run " + op + " ("
                    + (cause == null ? "unknown" : cause.getMessage()) + "); retry when it has a leader");
        }
        return MetaCodec.decodeReply(reply.getMessage().getContent().toByteArray());
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
