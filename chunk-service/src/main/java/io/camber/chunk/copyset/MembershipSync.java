package io.camber.chunk.copyset;

import io.camber.common.chunk.CopysetIds;
import io.camber.server.raft.GroupServer;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings the Raft configuration of the copysets this chunk server leads to the members the MDS lists. Only the
 * leader changes it, through Ratis' own membership change: the leader first catches a new member up (log entries,
 * or a snapshot when the log no longer holds what it needs), then commits the joint and the new configuration, so
 * a copyset never counts a member that lacks what it acknowledged. One change per copyset at a time; a change that
 * fails (the new member not up yet, a leader change) is tried again from a later heartbeat. A description older
 * than one already acted on (a lagging MDS answer) is ignored, so members never flip back.
 */
final class MembershipSync {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipSync.class);

    /** How far behind this leader's commit index the preferred member may be for a hand-over to be tried. */
    private static final long CAUGHT_UP_ENTRIES = 8;
    /** How long a hand-over may wait for the preferred member to catch the last entries up. */
    private static final long TRANSFER_TIMEOUT_MS = 3000;

    private final GroupServer server;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final Map<RaftGroupId, Long> epochs = new ConcurrentHashMap<>();
    private final Set<RaftGroupId> changing = ConcurrentHashMap.newKeySet();

    /**
     * Where Ratis' admin calls run. Ratis 3.3 runs them on the division's own executor and blocks the caller until
     * they started; for a division that is closing (a replaced member, its group being removed) that can be never,
     * which froze the heartbeat thread that asked (seen in CopysetBalanceIT). So the caller never waits: a call that
     * hangs holds one of these threads, and its copyset stays in changing, on a division that is going away anyway.
     */
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "copyset-membership-call");
        t.setDaemon(true);
        return t;
    });

    private final MemberProbe probe;

    /** Completes once a replica runs the group with its Raft log open. */
    @FunctionalInterface
    interface MemberProbe {
        CompletableFuture<Void> groupOpen(org.apache.ratis.protocol.RaftGroup group, RaftPeerId peer);
    }

    /** probe: checks that a new member runs its group before it is added. */
    MembershipSync(GroupServer server, MemberProbe probe) {
        this.server = server;
        this.probe = probe;
    }

    /** A Ratis admin call, started on {@link #calls}. */
    private CompletableFuture<RaftClientReply> call(RatisCall ratis) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ratis.start();
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, calls).thenCompose(f -> f);
    }

    /** One Ratis call that answers asynchronously. */
    private interface RatisCall {
        CompletableFuture<RaftClientReply> start() throws IOException;
    }

    void close() {
        calls.shutdownNow();
    }

    /** The chunk-server ids of a configuration's current members. */
    static List<Long> members(RaftConfiguration conf) {
        return conf.getCurrentPeers().stream().map(p -> CopysetPeers.chunkServerId(p.getId().toString())).sorted()
                .toList();
    }

    /**
     * Hands leadership of a settled copyset this server leads to its preferred member (the higher election priority)
     * once that member has committed about as much as this one. Ratis yields to a higher priority by itself only in
     * a moment with nothing else to do and the follower fully caught up, which steady writes may never give (seen in
     * CopysetBalanceIT: leaders stayed put under writes). The transfer waits at most a few seconds for the last
     * entries; it is not tried while the preferred member lags (down, or catching up), so writes are not held up.
     */
    private void handOverToPreferred(CopysetPeers wanted, RaftGroupId gid, RaftServer.Division division,
                                     RaftConfiguration conf) {
        long preferred = preferred(conf);
        String self = server.self().toString();
        if (preferred < 0 || CopysetPeers.peerId(preferred).equals(self)) {
            return;
        }
        long own = -1;
        long theirs = -1;
        for (org.apache.ratis.proto.RaftProtos.CommitInfoProto info : division.getCommitInfos()) {
            String peer = RaftPeerId.valueOf(info.getServer().getId()).toString();
            if (peer.equals(self)) {
                own = info.getCommitIndex();
            } else if (peer.equals(CopysetPeers.peerId(preferred))) {
                theirs = info.getCommitIndex();
            }
        }
        if (own < 0 || theirs < own - CAUGHT_UP_ENTRIES || !changing.add(gid)) {
            return;
        }
        LOG.info("event=copyset-leader-transfer pool={} copyset={} epoch={} to={}", wanted.logicalPoolId(),
                wanted.copysetId(), wanted.epoch(), preferred);
        try {
            call(() -> server.raftServer().transferLeadershipAsync(new TransferLeadershipRequest(clientId,
                    server.self(), gid, callIds.incrementAndGet(), RaftPeerId.valueOf(CopysetPeers.peerId(preferred)),
                    TRANSFER_TIMEOUT_MS))).whenComplete((reply, error) -> {
                        changing.remove(gid);
                        if (error != null || !reply.isSuccess()) {
                            LOG.info("event=copyset-leader-transfer-failed pool={} copyset={} to={} error={}",
                                    wanted.logicalPoolId(), wanted.copysetId(), preferred,
                                    error != null ? error.toString() : String.valueOf(reply.getException()));
                        }
                    });
        } catch (RuntimeException e) {
            changing.remove(gid);
            LOG.info("event=copyset-leader-transfer-failed pool={} copyset={} to={} error={}", wanted.logicalPoolId(),
                    wanted.copysetId(), preferred, e.toString());
        }
    }

    /**
     * The chunk-server id of the member with the highest election priority, or -1 if none stands out. Only the
     * priorities differ when the MDS moved the preferred leader: the same members with new priorities, after which
     * Ratis hands leadership over to the preferred one once it is caught up.
     */
    static long preferred(RaftConfiguration conf) {
        List<RaftPeer> peers = List.copyOf(conf.getCurrentPeers());
        int top = peers.stream().mapToInt(RaftPeer::getPriority).max().orElse(0);
        List<RaftPeer> best = peers.stream().filter(p -> p.getPriority() == top).toList();
        return best.size() == 1 ? CopysetPeers.chunkServerId(best.get(0).getId().toString()) : -1;
    }

    /** Starts a change of the group to the listed members (or leader priorities) if it leads it and they differ. */
    void reconcile(CopysetPeers wanted) {
        reconcile(wanted, true);
    }

    /** As above; handOver: whether to hand leadership to the preferred member when nothing else is to change. */
    void reconcile(CopysetPeers wanted, boolean handOver) {
        RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(wanted.logicalPoolId(), wanted.copysetId()));
        long seen = epochs.merge(gid, wanted.epoch(), Math::max);
        if (wanted.epoch() < seen) {
            return;
        }
        RaftServer.Division division = server.division(gid).orElse(null);
        if (division == null || !division.getInfo().isLeader()) {
            return;
        }
        RaftConfiguration conf = division.getRaftConf();
        List<Long> want = wanted.members().stream().map(CopysetPeers.Member::chunkServerId).sorted().toList();
        boolean sameMembers = members(conf).equals(want);
        if (conf.getPreviousPeers().isEmpty() && sameMembers && preferred(conf) == wanted.preferredLeader()) {
            if (handOver) {
                handOverToPreferred(wanted, gid, division, conf);
            }
            return;
        }
        if (!conf.getPreviousPeers().isEmpty() || !changing.add(gid)) {
            return; // a change is under way (ours or one Ratis is finishing)
        }
        List<RaftPeer> peers = wanted.raftPeers();
        newMembersRunning(gid, peers, conf).whenComplete((ready, notReady) -> {
            if (notReady != null) {
                changing.remove(gid);
                LOG.debug("event=copyset-membership-change-deferred pool={} copyset={} reason=\"{}\"",
                        wanted.logicalPoolId(), wanted.copysetId(), notReady.toString());
            } else {
                change(wanted, gid, conf, want, peers);
            }
        });
    }

    /**
     * Completes once every member being added runs the group with its Raft log open: Ratis 3.3 leaves a replica stuck
     * for good ("installing a snapshot" that never starts) when the leader's first snapshot notification arrives while
     * the replica's log is still being opened, and the leader acts on the same MDS answer that makes the new member
     * create the group, often first. A member that does not answer is tried again from a later heartbeat.
     */
    private CompletableFuture<Void> newMembersRunning(RaftGroupId gid, List<RaftPeer> peers, RaftConfiguration conf) {
        java.util.Set<RaftPeerId> current = new java.util.HashSet<>();
        conf.getCurrentPeers().forEach(p -> current.add(p.getId()));
        org.apache.ratis.protocol.RaftGroup group = org.apache.ratis.protocol.RaftGroup.valueOf(gid, peers);
        return CompletableFuture.allOf(peers.stream().filter(p -> !current.contains(p.getId()))
                .map(p -> probe.groupOpen(group, p.getId()))
                .toArray(CompletableFuture[]::new));
    }

    private void change(CopysetPeers wanted, RaftGroupId gid, RaftConfiguration conf, List<Long> want,
                        List<RaftPeer> peers) {
        LOG.info("event=copyset-membership-change pool={} copyset={} epoch={} from={} to={}",
                wanted.logicalPoolId(), wanted.copysetId(), wanted.epoch(), members(conf), want);
        try {
            call(() -> server.raftServer().setConfigurationAsync(new SetConfigurationRequest(clientId, server.self(),
                    gid, callIds.incrementAndGet(), peers))).whenComplete((reply, error) -> {
                        changing.remove(gid);
                        if (error == null && reply.isSuccess()) {
                            LOG.info("event=copyset-membership-changed pool={} copyset={} epoch={} members={}",
                                    wanted.logicalPoolId(), wanted.copysetId(), wanted.epoch(), want);
                        } else {
                            LOG.warn("event=copyset-membership-change-failed pool={} copyset={} epoch={} error={}",
                                    wanted.logicalPoolId(), wanted.copysetId(), wanted.epoch(),
                                    error != null ? error.toString() : String.valueOf(reply.getException()));
                        }
                    });
        } catch (RuntimeException e) {
            changing.remove(gid);
            LOG.warn("event=copyset-membership-change-failed pool={} copyset={} error={}", wanted.logicalPoolId(),
                    wanted.copysetId(), e.toString());
        }
    }
}
