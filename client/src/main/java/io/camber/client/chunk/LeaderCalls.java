package io.camber.client.chunk;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.CopysetIds;
import io.camber.common.chunk.DataFrame;
import io.camber.common.chunk.DataFrame.Kind;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Delivers a request to a copyset's leader over the data protocol and returns the copyset's answer. It remembers
 * each copyset's leader, follows NOT_LEADER hints, and on a lost connection, a timeout or a transient refusal tries
 * the next member after a short pause, until the deadline. Every attempt of one request carries the same call id,
 * so a write that a former leader did commit is answered from the copyset's retry cache, not applied twice.
 */
final class LeaderCalls {
    private static final Duration PAUSE = Duration.ofMillis(50);
    /** At most one look at the MDS's copyset list per this long: a dead member must not flood the MDS. */
    private static final long REFRESH_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final DataConnections connections;
    private final UUID clientId = UUID.randomUUID();
    private final AtomicLong callIds = new AtomicLong();
    private final Map<UUID, Integer> leaders = new ConcurrentHashMap<>();
    /** The newest description (highest epoch) of each copyset seen: callers may hold one from before a change. */
    private final Map<UUID, CopysetInfo> newest = new ConcurrentHashMap<>();
    private volatile Supplier<CompletableFuture<List<CopysetInfo>>> directory;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long lastRefreshNanos = System.nanoTime() - REFRESH_EVERY_NANOS;
    private final Duration attemptTimeout;
    private final Duration deadline;

    private final DataTokens tokens;

    /** Calls that carry no data-plane tokens (a cluster without authentication). */
    LeaderCalls(DataConnections connections, Duration attemptTimeout, Duration deadline) {
        this(connections, new DataTokens(), attemptTimeout, deadline);
    }

    LeaderCalls(DataConnections connections, DataTokens tokens, Duration attemptTimeout, Duration deadline) {
        this.connections = connections;
        this.tokens = tokens;
        this.attemptTimeout = attemptTimeout;
        this.deadline = deadline;
    }

    /**
     * Where to look up copysets again when their members may have changed (the MDS's copyset list): a member that
     * names a leader this client does not know, or a round of members that all failed, sends the client there.
     */
    void useDirectory(Supplier<CompletableFuture<List<CopysetInfo>>> lookup) {
        this.directory = lookup;
    }

    /**
     * Remembers a description of a copyset unless the one known is newer. One of the same epoch replaces it too: the
     * members are the same, but an address may have changed (a data port registered late, a retired member's).
     */
    void learn(CopysetInfo info) {
        UUID group = CopysetIds.groupUuid(info.logicalPoolId(), info.copysetId());
        CopysetInfo before = newest.get(group);
        if (before == null || (info.epoch() >= before.epoch() && !info.equals(before))) {
            newest.merge(group, info, (a, b) -> b.epoch() >= a.epoch() ? b : a);
            if (before != null && !before.chunkServers().equals(info.chunkServers())) {
                leaders.remove(group); // positions in the member list changed meaning
            }
        }
    }

    /** Looks the copysets up again, unless a lookup is under way or one was made within the last second. */
    private void refresh() {
        Supplier<CompletableFuture<List<CopysetInfo>>> lookup = directory;
        if (lookup == null || System.nanoTime() - lastRefreshNanos < REFRESH_EVERY_NANOS
                || !refreshing.compareAndSet(false, true)) {
            return;
        }
        lastRefreshNanos = System.nanoTime();
        CompletableFuture<List<CopysetInfo>> found;
        try {
            found = lookup.get();
        } catch (RuntimeException e) {
            found = CompletableFuture.failedFuture(e);
        }
        found.whenComplete((infos, error) -> {
            refreshing.set(false);
            if (infos != null) {
                infos.forEach(this::learn);
            }
        });
    }

    /** Sends body to the copyset's leader with no volume's token; see below. */
    CompletableFuture<ChunkReply> call(CopysetInfo copyset, Kind kind, ByteBuffer... body) {
        return call(copyset, kind, new long[0], body);
    }

    /**
     * Sends body (the encoded chunk request, in parts) to the copyset's leader; completes with its reply.
     * volumeEpochs: the (volume id, epoch) pairs it touches, one after another, whose tokens it needs.
     */
    CompletableFuture<ChunkReply> call(CopysetInfo copyset, Kind kind, long[] volumeEpochs, ByteBuffer... body) {
        if (copyset.dataAddresses() == null || copyset.dataAddresses().size() != copyset.chunkServers().size()) {
            return CompletableFuture.failedFuture(new CamberException(ErrorCode.UNAVAILABLE, "copyset "
                    + copyset.copysetId() + " has no data addresses: its chunk servers have not registered a data port"));
        }
        learn(copyset);
        Call call = new Call(copyset, kind, volumeEpochs, body, callIds.incrementAndGet(),
                System.nanoTime() + deadline.toNanos());
        call.attempt(leaders.getOrDefault(call.group, 0));
        return call.result;
    }

    /** One request and its attempts. */
    private final class Call {
        /** The newest description known when the last attempt started. */
        CopysetInfo copyset;
        final Kind kind;
        final long[] volumes;
        final ByteBuffer[] body;
        final long callId;
        final long deadlineNanos;
        final UUID group;
        final CompletableFuture<ChunkReply> result = new CompletableFuture<>();
        String lastError = "no attempt";
        int redirects;
        /** The member whose NOT_LEADER hint sent us to the member being tried, or -1. */
        int hintedBy = -1;
        int hinted = -1;
        int failures;

        Call(CopysetInfo copyset, Kind kind, long[] volumes, ByteBuffer[] body, long callId, long deadlineNanos) {
            this.copyset = copyset;
            this.kind = kind;
            this.volumes = volumes;
            this.body = body;
            this.callId = callId;
            this.deadlineNanos = deadlineNanos;
            this.group = CopysetIds.groupUuid(copyset.logicalPoolId(), copyset.copysetId());
        }

        void attempt(int position) {
            CopysetInfo latest = newest.getOrDefault(group, copyset);
            if (latest != copyset) {
                copyset = latest;
                hinted = -1;
                hintedBy = -1;
            }
            int member = Math.floorMod(position, copyset.chunkServers().size());
            String address = copyset.dataAddresses() == null ? null : copyset.dataAddresses().get(member);
            if (address == null) {
                lastError = "chunk server " + copyset.chunkServers().get(member) + " has no data port";
                later(after(member));
                return;
            }
            // Looked up at every attempt: a retry after a renewal carries the renewed token.
            connections.send(address, tokens.forRequests(volumes), tag -> DataFrame.requestHeader(tag, kind, group, clientId, callId), body,
                    attemptTimeout).whenComplete((reply, error) -> {
                        if (error != null) {
                            lastError = address + ": " + rootMessage(error);
                            later(after(member));
                        } else {
                            answered(member, address, reply);
                        }
                    });
        }

        private void answered(int member, String address, DataFrame.Reply reply) {
            switch (reply.status()) {
                case OK -> {
                    leaders.put(group, member);
                    result.complete(ChunkReply.decode(reply.body()));
                }
                case NOT_LEADER -> {
                    int hinted = copyset.chunkServers().indexOf(reply.leaderHint());
                    lastError = address + " does not lead copyset " + copyset.copysetId();
                    if (hinted < 0 && reply.leaderHint() > 0) {
                        refresh(); // it names a leader this client has not heard of: the members changed
                    }
                    if (hinted >= 0 && hinted != member) {
                        this.hintedBy = member;
                        this.hinted = hinted;
                    }
                    if (hinted >= 0 && hinted != member && ++redirects % 3 != 0) {
                        attempt(hinted); // a known leader: go there at once (but pause if members disagree)
                    } else {
                        later(hinted >= 0 && hinted != member ? hinted : after(member)); // an election is on
                    }
                }
                case RETRY -> {
                    lastError = address + ": " + reply.message();
                    later(after(member));
                }
                case FAILED -> result.completeExceptionally(new CamberException(ErrorCode.INVALID_ARGUMENT,
                        "copyset " + copyset.copysetId() + " refused the request: " + reply.message()));
                case DENIED -> result.completeExceptionally(new CamberException(ErrorCode.FORBIDDEN,
                        "chunk server " + address + " refused the request to copyset " + copyset.copysetId() + ": "
                                + reply.message()));
            }
        }

        private void later(int member) {
            if (++failures % copyset.chunkServers().size() == 0) {
                refresh(); // a whole round failed: a member may have been replaced
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                result.completeExceptionally(new CamberException(ErrorCode.UNAVAILABLE, "copyset "
                        + copyset.logicalPoolId() + "/" + copyset.copysetId() + " did not answer within " + deadline
                        + " (last: " + lastError + "): check that a majority of its chunk servers is up"));
                return;
            }
            connections.schedule(() -> attempt(member), PAUSE);
        }

        private int next(int member) {
            return (member + 1) % copyset.chunkServers().size();
        }

        /**
         * The member to try after this one failed. If a hint sent us here, go on from the member that gave it:
         * a follower whose hint is stale (its leader died or was retired) would otherwise send every attempt
         * back to the dead member and the client would never reach the third one, the real leader.
         */
        private int after(int member) {
            if (member == hinted && hintedBy >= 0) {
                int from = hintedBy;
                hintedBy = -1;
                hinted = -1;
                int candidate = next(from);
                return candidate == member ? next(candidate) : candidate;
            }
            return next(member);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
