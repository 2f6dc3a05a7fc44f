package io.camber.mds.schedule;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerHeartbeat.CopysetReport;
import io.camber.mds.raft.MdsCommand.ReplaceCopysetMember;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.Topology.ChunkServer;
import io.camber.mds.topology.Topology.Copyset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Decides which copyset replicas to rebuild elsewhere (Curve's recover scheduler), from the topology and the chunk
 * servers' latest heartbeats. Pure, so every rule is unit tested.
 *
 * <p>A member is lost when its chunk server was retired (its disk was wiped or replaced) or has been silent longer
 * than the recovery delay; a draining chunk server's members move the same way, though it still serves them. It is replaced by a live chunk server of the same physical pool in a zone the other
 * members do not use, the one holding fewest copysets. Only a copyset whose live leader reports a stable Raft
 * configuration equal to the members is changed, so there is at most one change per copyset at a time (two new
 * members at once could elect each other before the leader reached them) and never one without a quorum to carry
 * it. The one exception: a new member that has not joined within the join timeout (stuck: it cannot create the
 * group, or keeps failing its catch-up) is itself replaced. A chunk server receives at most perTarget replicas
 * being rebuilt at once.
 */
public final class RecoveryPlanner {
    private RecoveryPlanner() {
    }

    /**
     * The member replacements to make now.
     *
     * @param lost      whether a chunk server's replicas are to be rebuilt elsewhere (retired, or silent too long)
     * @param live      whether a chunk server can take a replica (heartbeating now)
     * @param latest    the latest heartbeat of each chunk server
     * @param perTarget at most this many copysets catching up on one chunk server at a time
     */
    public static List<ReplaceCopysetMember> plan(Topology t, LongPredicate lost, LongPredicate live,
                                                  Map<Long, ChunkServerHeartbeat> latest, int perTarget) {
        return plan(t, lost, live, latest, perTarget, (c, m) -> false);
    }

    /** As above; stuck tells whether a member the group has not taken in yet has been joining too long. */
    public static List<ReplaceCopysetMember> plan(Topology t, LongPredicate lost, LongPredicate live,
                                                  Map<Long, ChunkServerHeartbeat> latest, int perTarget,
                                                  java.util.function.BiPredicate<Copyset, Long> stuck) {
        Map<Long, Integer> held = new HashMap<>(t.copysetCounts());
        Map<Long, Integer> catchingUp = new HashMap<>();
        List<Copyset> all = new ArrayList<>();
        t.copysets().values().forEach(all::addAll);
        all.sort(Comparator.comparingLong(Copyset::logicalPoolId).thenComparingInt(Copyset::id));
        Map<Copyset, CopysetReport> leaders = new HashMap<>();
        for (Copyset c : all) {
            CopysetReport leader = leaderReport(c, live, latest).orElse(null);
            leaders.put(c, leader);
            for (long m : c.members()) {
                if (leader != null && leader.peers() != null && !leader.peers().contains(m)) {
                    catchingUp.merge(m, 1, Integer::sum); // a member the group has not taken in yet
                }
            }
        }
        List<ReplaceCopysetMember> out = new ArrayList<>();
        for (Copyset c : all) {
            CopysetReport leader = leaders.get(c);
            if (leader == null || leader.peers() == null || !leader.stableConf()) {
                continue; // no quorum to change it, a version that cannot say, or a change already under way
            }
            boolean settled = new HashSet<>(leader.peers()).equals(new HashSet<>(c.members()));
            // Settled: any lost member may go. Not settled (a new member is joining): only a joining member that is
            // lost or stuck, never a second established one.
            // A member truly lost (silent, retired) before a draining one, which still serves: moving the draining
            // one first would leave two live replicas while the lost one is still missing.
            Optional<Long> from = c.members().stream()
                    .filter(m -> settled ? lost.test(m)
                            : !leader.peers().contains(m) && (lost.test(m) || stuck.test(c, m)))
                    .min(Comparator.comparing((Long m) -> t.chunkServer(m).map(ChunkServer::draining).orElse(false)));
            if (from.isEmpty()) {
                continue;
            }
            Optional<ChunkServer> to = target(t, c, from.get(), live, latest, leader, held, catchingUp, perTarget);
            if (to.isEmpty()) {
                continue; // nowhere to put it now (no live chunk server in a free zone, or all busy): next round
            }
            long id = to.get().id();
            held.merge(id, 1, Integer::sum);
            catchingUp.merge(id, 1, Integer::sum);
            boolean draining = t.chunkServer(from.get()).map(ChunkServer::draining).orElse(false);
            out.add(new ReplaceCopysetMember(c.logicalPoolId(), c.id(), c.epoch(), from.get(), id, !settled
                    ? "recover: chunk server " + from.get() + " did not join"
                    : draining ? "drain: chunk server " + from.get() + " is draining"
                    : "recover: chunk server " + from.get() + " is lost"));
        }
        return out;
    }

    static Set<String> memberAddresses(Topology t, Copyset c, CopysetReport leader) {
        Set<String> out = new HashSet<>();
        Set<Long> ids = new HashSet<>(c.members());
        ids.addAll(leader.peers());
        ids.forEach(id -> t.chunkServer(id).ifPresent(cs -> out.add(cs.host() + ":" + cs.port())));
        return out;
    }

    static boolean hosts(ChunkServerHeartbeat hb, Copyset c) {
        return hb != null && hb.copysets() != null && hb.copysets().stream()
                .anyMatch(r -> r.logicalPoolId() == c.logicalPoolId() && r.copysetId() == c.id());
    }

    /**
     * The copysets a chunk server still hosts a replica of although it is no longer a member: neither in the MDS's
     * members nor in the Raft configuration the copyset's leader reports as committed (stable). Their data can go:
     * the group no longer counts on it, and it is not rejoining (a chunk server chosen again is first taken in by
     * the leader, which makes it a member of the configuration).
     */
    public static List<Copyset> removable(Topology t, long chunkServerId, LongPredicate live,
                                          Map<Long, ChunkServerHeartbeat> latest) {
        ChunkServerHeartbeat own = latest.get(chunkServerId);
        if (own == null || own.copysets() == null) {
            return List.of();
        }
        List<Copyset> out = new ArrayList<>();
        for (CopysetReport r : own.copysets()) {
            Copyset c = t.copyset(r.logicalPoolId(), r.copysetId()).orElse(null);
            if (c == null || c.members().contains(chunkServerId)) {
                continue;
            }
            CopysetReport leader = leaderReport(c, live, latest).orElse(null);
            if (leader != null && leader.peers() != null && leader.stableConf()
                    && !leader.peers().contains(chunkServerId)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The report of the live member that leads the copyset in the highest term, if any. */
    static Optional<CopysetReport> leaderReport(Copyset c, LongPredicate live, Map<Long, ChunkServerHeartbeat> latest) {
        CopysetReport best = null;
        for (long m : c.members()) {
            ChunkServerHeartbeat hb = latest.get(m);
            if (hb == null || !live.test(m)) {
                continue;
            }
            for (CopysetReport r : hb.copysets() == null ? List.<CopysetReport>of() : hb.copysets()) {
                if (r.logicalPoolId() == c.logicalPoolId() && r.copysetId() == c.id() && r.leader()
                        && (best == null || r.term() > best.term())) {
                    best = r;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<ChunkServer> target(Topology t, Copyset c, long from, LongPredicate live,
                                                Map<Long, ChunkServerHeartbeat> latest, CopysetReport leader,
                                                Map<Long, Integer> held, Map<Long, Integer> catchingUp,
                                                int perTarget) {
        long physicalPool = t.logicalPool(c.logicalPoolId()).orElseThrow().physicalPoolId();
        Set<Long> usedZones = new HashSet<>();
        for (long m : c.members()) {
            if (m != from) {
                t.chunkServer(m).ifPresent(cs -> usedZones.add(t.zoneOf(cs)));
            }
        }
        return t.chunkServers().stream()
                .filter(cs -> cs.takesReplicas() && live.test(cs.id()) && !c.members().contains(cs.id()))
                .filter(cs -> t.physicalPoolOf(cs) == physicalPool && !usedZones.contains(t.zoneOf(cs)))
                .filter(cs -> catchingUp.getOrDefault(cs.id(), 0) < perTarget)
                // Never one the group still counts as a member, nor one still holding an old replica of it: a new
                // member must join empty through the leader's catch-up, or it could vote without the log it had.
                .filter(cs -> !leader.peers().contains(cs.id()) && !hosts(latest.get(cs.id()), c))
                // Nor one at the address of a member the group still counts (a wiped disk's new chunk server takes
                // the old one's address): Raft traffic for the old member would reach the new replica.
                .filter(cs -> !memberAddresses(t, c, leader).contains(cs.host() + ":" + cs.port()))
                .min(Comparator.comparingInt((ChunkServer cs) -> held.getOrDefault(cs.id(), 0))
                        .thenComparingLong(ChunkServer::id));
    }
}
