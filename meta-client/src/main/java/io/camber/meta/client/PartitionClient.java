package io.camber.meta.client;

import io.camber.meta.fs.FsError;
import io.camber.meta.protocol.PartitionId;
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
    /**
     * Where sends start and replies are handed to the caller. Ratis completes a reply's future while holding its
     * client's sliding-window lock, so a caller that sent to another partition from there (a cross-partition create
     * or rename) could take two clients' locks in opposite orders and deadlock; and a send may wait for a permit,
     * which must not happen on a caller's event loop. Callbacks are short and never block, so a few threads do.
     */
    private static final java.util.concurrent.ExecutorService CALLBACKS = java.util.concurrent.Executors
            .newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "camber-partition-client");
                t.setDaemon(true);
                return t;
            });
    private static final java.util.concurrent.Executor READ_RETRY_DELAY =
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, CALLBACKS);

    private final PartitionId partition;
    private final RaftClient client;
    /** Set once Ratis closed the client (it does when a peer lacks the group): the owner must build another. */
    private volatile boolean closed;

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

    /**
     * Whether Ratis closed this client: it does when a member answered that it does not host the group (a partition
     * just placed whose members have not all started it). Every later call fails at once without being sent, so the
     * owner replaces the client and repeats the call.
     */
    public boolean isClosed() {
        return closed;
    }

    /** Replicates a command; completes with the reply once a majority has committed it and the leader applied it. */
    public CompletableFuture<MetaReply> submit(MetaCommand command) {
        Message message = Message.valueOf(ByteString.copyFrom(MetaCodec.encode(command)));
        return CompletableFuture.supplyAsync(() -> client.async().send(message), CALLBACKS)
                .thenCompose(sent -> sent)
                .handleAsync((reply, error) -> decode(reply, unwrap(error), command.op()), CALLBACKS);
    }

    /**
     * Reads from the partition's leader. A read that fails is sent again a few times: during an election a follower
     * refuses reads ("leader is unknown") where Ratis retries a write itself, and a read is safe to repeat.
     */
    public CompletableFuture<MetaReply> query(MetaQuery query) {
        return query(Message.valueOf(ByteString.copyFrom(MetaCodec.encode(query))), query.op(), READ_ATTEMPTS);
    }

    private CompletableFuture<MetaReply> query(Message message, String op, int attemptsLeft) {
        return CompletableFuture.supplyAsync(() -> client.async().sendReadOnly(message), CALLBACKS)
                .thenCompose(sent -> sent).handleAsync((reply, failure) -> {
            Throwable error = unwrap(failure);
            if ((error != null || !reply.isSuccess()) && attemptsLeft > 1) {
                return CompletableFuture.supplyAsync(() -> null, READ_RETRY_DELAY)
                        .thenCompose(ignored -> query(message, op, attemptsLeft - 1));
            }
            return CompletableFuture.completedFuture(decode(reply, error, op));
        }, CALLBACKS).thenCompose(f -> f);
    }

    /** Blocking form of {@link #submit}, for callers on their own threads (tests, tools). */
    public MetaReply submitAndWait(MetaCommand command) {
        return submit(command).join();
    }

    /** Blocking form of {@link #query}. */
    public MetaReply queryAndWait(MetaQuery query) {
        return query(query).join();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    private MetaReply decode(RaftClientReply reply, Throwable error, String op) {
        if (error != null || !reply.isSuccess()) {
            Throwable cause = error != null ? error : reply.getException();
            for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof org.apache.ratis.protocol.exceptions.AlreadyClosedException) {
                    closed = true;
                }
            }
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
