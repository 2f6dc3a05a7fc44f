package io.camber.mds.cluster;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.ClusterHealth;
import io.camber.common.api.CopysetHealth;
import io.camber.mds.topology.Topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Judges the cluster from the topology and the chunk servers' latest heartbeats: pure, so every rule is unit
 * tested. A chunk server counts as up only while ONLINE; a copyset's replica counts only if its server is up
 * and its heartbeat lists the copyset.
 */
public final class HealthCheck {
    /** Disk use at which a chunk server is reported as nearly full. */
    static final int NEARLY_FULL_PERCENT = 90;

    private HealthCheck() {
    }

    /** Every copyset's state, leader and replicas, in pool and id order. */
    public static List<CopysetHealth> copysets(Topology topology, LongFunction<ChunkServerState> stateOf,
                                               Map<Long, ChunkServerHeartbeat> latest) {
        List<CopysetHealth> out = new ArrayList<>();
        topology.copysets().values().forEach(pool -> pool.forEach(c -> out.add(copyset(c, stateOf, latest))));
        out.sort(Comparator.comparingLong(CopysetHealth::logicalPoolId).thenComparingInt(CopysetHealth::copysetId));
        return out;
    }

    private static CopysetHealth copyset(Topology.Copyset c, LongFunction<ChunkServerState> stateOf,
                                         Map<Long, ChunkServerHeartbeat> latest) {
        Long leader = null;
        long leaderTerm = -1;
        ChunkServerHeartbeat.CopysetReport leaderReport = null;
        Map<Long, ChunkServerHeartbeat.CopysetReport> mine = new HashMap<>();
        for (long m : c.members()) {
            ChunkServerHeartbeat hb = latest.get(m);
            if (hb == null || stateOf.apply(m) != ChunkServerState.ONLINE) {
                continue;
            }
            for (ChunkServerHeartbeat.CopysetReport r : hb.copysets()) {
                if (r.logicalPoolId() == c.logicalPoolId() && r.copysetId() == c.id()) {
                    mine.put(m, r);
                    if (r.leader() && r.term() > leaderTerm) {
                        leader = m;
                        leaderTerm = r.term();
                        leaderReport = r;
                    }
                }
            }
        }
        Long leaderApplied = leader == null ? null : mine.get(leader).appliedIndex();
        List<CopysetHealth.Member> members = new ArrayList<>();
        for (long m : c.members()) {
            ChunkServerHeartbeat.CopysetReport r = mine.get(m);
            Long lag = r == null || leaderApplied == null ? null : Math.max(0, leaderApplied - r.appliedIndex());
            members.add(new CopysetHealth.Member(m, stateOf.apply(m), r != null, lag));
        }
        int up = mine.size();
        String state = leader == null || up <= c.members().size() / 2 ? "UNAVAILABLE"
                : recovering(c, leaderReport) ? (moving(c, leaderReport, stateOf) ? "MOVING" : "RECOVERING")
                : up < c.members().size() ? "DEGRADED" : "HEALTHY";
        return new CopysetHealth(c.logicalPoolId(), c.id(), state, leader, members);
    }

    /**
     * Whether the copyset's Raft configuration, as its leader reports it, is not yet the members the MDS chose: a
     * replacement replica is catching up, or the change is being committed.
     */
    private static boolean recovering(Topology.Copyset c, ChunkServerHeartbeat.CopysetReport leader) {
        if (leader == null || leader.peers() == null) {
            return false; // a chunk server of a version that does not report its configuration
        }
        return !leader.stableConf() || !new java.util.HashSet<>(leader.peers()).equals(new java.util.HashSet<>(c.members()));
    }

    /**
     * Whether a copyset whose configuration is changing keeps full redundancy meanwhile: every replica of its current
     * Raft configuration is up, the one leaving included (a balance or drain move; Ceph calls it misplaced, not
     * degraded).
     */
    private static boolean moving(Topology.Copyset c, ChunkServerHeartbeat.CopysetReport leader,
                                  LongFunction<ChunkServerState> stateOf) {
        return leader.stableConf() && leader.peers().size() >= c.members().size()
                && leader.peers().stream().allMatch(p -> stateOf.apply(p) == ChunkServerState.ONLINE);
    }

    /**
     * How far the recovering copysets are: replicas that do not host their copyset yet (being created, or receiving
     * the leader's snapshot) and the log entries the others still lack.
     */
    private static String recoveryProgress(List<CopysetHealth> copysets) {
        long starting = 0;
        long behind = 0;
        for (CopysetHealth c : copysets) {
            if (c.state().equals("RECOVERING")) {
                for (CopysetHealth.Member m : c.members()) {
                    if (!m.reporting()) {
                        starting += m.state() == ChunkServerState.ONLINE ? 1 : 0;
                    } else if (m.lag() != null) {
                        behind += m.lag();
                    }
                }
            }
        }
        return (starting > 0 ? starting + " new replicas not serving yet, " : "") + behind
                + " log entries still to catch up";
    }

    /** The verdict with its reasons and counts. */
    public static ClusterHealth assess(Topology topology, LongFunction<ChunkServerState> stateOf,
                                       Map<Long, ChunkServerHeartbeat> latest, long garbageChunks) {
        List<CopysetHealth> copysets = copysets(topology, stateOf, latest);
        long unavailable = copysets.stream().filter(c -> c.state().equals("UNAVAILABLE")).count();
        long recovering = copysets.stream().filter(c -> c.state().equals("RECOVERING")).count();
        long moving = copysets.stream().filter(c -> c.state().equals("MOVING")).count();
        long degraded = recovering + copysets.stream().filter(c -> c.state().equals("DEGRADED")).count();
        Map<Long, Integer> replicas = topology.copysetCounts();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (unavailable > 0) {
            errors.add(unavailable + " copysets unavailable (no leader or no majority up): IO to their chunks stops");
        }
        int up = 0;
        long capacity = 0;
        int fullest = 0;
        int retired = 0;
        for (Topology.ChunkServer cs : topology.chunkServers()) {
            // A chunk server that holds no replica (its copysets were recovered elsewhere) costs no redundancy: it is
            // counted as down, not reported, as Ceph stops reporting an OSD that is down and out.
            boolean holds = replicas.getOrDefault(cs.id(), 0) > 0;
            if (cs.retired()) {
                retired++;
                if (holds) {
                    warnings.add("chunk server " + cs.id() + " was retired (its disk at " + cs.host() + ":" + cs.port()
                        + " was wiped or replaced): its copysets lack that replica until recovery replaces it");
                }
                continue;
            }
            capacity += cs.capacityBytes();
            ChunkServerState s = stateOf.apply(cs.id());
            if (s == ChunkServerState.ONLINE) {
                up++;
            } else if (holds) {
                warnings.add("chunk server " + cs.id() + " (" + cs.host() + ":" + cs.port() + ") is " + s + " and holds "
                        + replicas.get(cs.id()) + " copyset replicas");
            }
            ChunkServerHeartbeat hb = latest.get(cs.id());
            if (hb != null && hb.diskUsedBytes() + hb.diskFreeBytes() > 0) {
                int percent = (int) (100 * hb.diskUsedBytes() / (hb.diskUsedBytes() + hb.diskFreeBytes()));
                fullest = Math.max(fullest, percent);
                if (percent >= NEARLY_FULL_PERCENT) {
                    warnings.add("chunk server " + cs.id() + " disk is " + percent + "% full");
                }
            }
            if (hb != null && hb.corruptPagesUnrepaired() > 0) {
                warnings.add("scrub errors: " + hb.corruptPagesUnrepaired() + " bad 4 KiB pages found by chunk server "
                        + cs.id() + " (as copyset leader) and not repaired yet: see its log for event=chunk_pages_corrupt"
                        + " and chunk_page_inconsistent");
            }
        }
        if (degraded > recovering) {
            warnings.add(0, (degraded - recovering) + " copysets degraded (a replica down or missing): redundancy"
                    + " reduced");
        }
        if (recovering > 0) {
            warnings.add(0, recovering + " copysets being recovered (a replica is catching up on the chunk server that"
                    + " replaces a lost one): " + recoveryProgress(copysets));
        }
        List<String> reasons = new ArrayList<>(errors);
        reasons.addAll(warnings);
        String health = !errors.isEmpty() ? "HEALTH_ERR" : !warnings.isEmpty() ? "HEALTH_WARN" : "HEALTH_OK";
        return new ClusterHealth(health, reasons, up, topology.chunkServers().size() - retired,
                (int) (copysets.size() - degraded - unavailable), (int) degraded, (int) unavailable, capacity, fullest,
                garbageChunks, (int) moving);
    }
}
