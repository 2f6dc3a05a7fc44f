package io.camber.server.raft;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Ratis client that replaces itself once it can no longer send.
 *
 * <p>Why: Ratis's ordered async client fails its whole sliding window when one request runs out of retries (a
 * group without a leader for longer than the retry policy allows), and from then on every call answers
 * {@link AlreadyClosedException} ("SlidingWindow$Client ... is closed") without being sent. A long-lived member or
 * client would stay cut off from its group until restarted. This wrapper builds a fresh client then: a request that
 * was refused unsent is sent once more on it; a request that ran out of retries is not repeated (it may have been
 * applied), its caller sees the failure and the next request goes out on the fresh client.
 */
public final class RenewingRaftClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RenewingRaftClient.class);

    private final Supplier<RaftClient> factory;
    private RaftClient current;
    private boolean closed;

    public RenewingRaftClient(Supplier<RaftClient> factory) {
        this.factory = factory;
        this.current = factory.get();
    }

    /** Replicates a message through the group's log. */
    public CompletableFuture<RaftClientReply> send(Message message) {
        return call(client -> client.async().send(message));
    }

    /**
     * A linearizable read on the leader. Unordered: an ordered read waits in the client's sliding window behind every
     * write sent before it, so one slow commit would stall every query; a write's reply already follows its apply,
     * so a caller still reads what it wrote.
     */
    public CompletableFuture<RaftClientReply> sendReadOnly(Message message) {
        return call(client -> client.async().sendReadOnlyUnordered(message));
    }

    private CompletableFuture<RaftClientReply> call(Function<RaftClient, CompletableFuture<RaftClientReply>> request) {
        RaftClient client = client();
        return request.apply(client).handle((reply, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(reply);
            }
            if (causedBy(error, RaftRetryFailureException.class)) {
                renew(client);
            } else if (causedBy(error, AlreadyClosedException.class) && renew(client)) {
                return request.apply(client()); // refused before it was sent: safe to send once more
            }
            return CompletableFuture.<RaftClientReply>failedFuture(error);
        }).thenCompose(f -> f);
    }

    private synchronized RaftClient client() {
        return current;
    }

    /**
     * Replaces broken with a fresh client unless that happened already; false once closed. The broken client is
     * closed outside the lock: closing fails its pending requests, whose callbacks come back here on Ratis's
     * threads while close() waits for them, so holding the lock through it deadlocks.
     */
    private boolean renew(RaftClient broken) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (current != broken) {
                return true;
            }
            current = factory.get();
            LOG.warn("event=raft-client-renewed group={} old-client={} new-client={}", broken.getGroupId(),
                    broken.getId(), current.getId());
        }
        closeQuietly(broken);
        return true;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("event=raft-client-close-failed client={} error={}", client.getId(), e.toString());
        }
    }

    /** Closes the current client outside the lock, for the reason given at renew. */
    @Override
    public void close() throws IOException {
        RaftClient last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = current;
        }
        last.close();
    }
}
