package io.camber.mds.schedule;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerHeartbeat.CopysetReport;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsCommand.PreferCopysetLeader;
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
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Spreads copyset replicas and leaders evenly over the chunk servers of each physical pool (Curve's copyset and
 * leader schedulers), after a scale-out, a recovery or a drain left some holding more than others. Pure, so every
 * rule is unit tested.
 *
 * <p>Only a healthy pool is balanced: while a member is lost, retired or draining, or a copyset has no live leader,
 * recovery goes first and balance waits. A replica moves the way recovery moves one (a new member joins through the
 * leader's catch-up, then the old one leaves), from a chunk server holding the most copysets to one holding the
 * fewest, never into a zone another member uses, and preferring a copyset whose other members share few copysets
 * with the new one (so a chunk server's copysets keep spreading over many peers: the scatter width Curve keeps,
 * which decides how many servers help rebuild it). Leaders are balanced only once no replica moves: by moving the
 * higher election priority to a member that is preferred leader of fewer copysets (directly, or along a chain of
 * copysets); Ratis then hands leadership to it once it is caught up. Counts within 10 % of the average, or one
 * apart, are balanced: nothing moves for less.
 */
public final class BalancePlanner {
    /** Counts this close to the average are balanced. */
    static final double TOLERANCE = 0.10;

    private BalancePlanner() {
    }

    /**
     * The replica moves and leader preferences to make now.
     *
     * @param live           whether a chunk server heartbeats now
     * @param latest         the latest heartbeat of each chunk server
     * @param perChunkServer at most this many replicas joining on, or leaving, one chunk server at a time
     */
    public static List<MdsCommand> plan(Topology t, LongPredicate live, Map<Long, ChunkServerHeartbeat> latest,
                                        int perChunkServer) {
        List<MdsCommand> out = new ArrayList<>();
        for (Topology.PhysicalPool pool : t.physicalPools()) {
            out.addAll(new Pool(t, pool.id(), live, latest, perChunkServer).plan());
        }
        return out;
    }

    /** The balance of one physical pool, planned on counts that each planned move updates. */
    private static final class Pool {
        private final Topology t;
        private final Map<Long, ChunkServerHeartbeat> latest;
        private final int perChunkServer;
        private final List<Copyset> copysets = new ArrayList<>();
        private final List<ChunkServer> servers;
        private final Map<Copyset, CopysetReport> leaders = new HashMap<>();
        private final Set<Copyset> busy = new HashSet<>();
        private final Map<Long, Integer> joining = new HashMap<>();
        private final Map<Long, Integer> leaving = new HashMap<>();

        Pool(Topology t, long physicalPoolId, LongPredicate live, Map<Long, ChunkServerHeartbeat> latest,
             int perChunkServer) {
            this.t = t;
            this.latest = latest;
            this.perChunkServer = perChunkServer;
            for (Topology.LogicalPool lp : t.logicalPools()) {
                if (lp.physicalPoolId() == physicalPoolId) {
                    copysets.addAll(t.copysetsOf(lp.id()));
                }
            }
            copysets.sort(Comparator.comparingLong(Copyset::logicalPoolId).thenComparingInt(Copyset::id));
            this.servers = t.chunkServers().stream()
                    .filter(cs -> cs.takesReplicas() && live.test(cs.id()) && t.physicalPoolOf(cs) == physicalPoolId)
                    .toList();
            for (Copyset c : copysets) {
                RecoveryPlanner.leaderReport(c, live, latest).ifPresent(r -> leaders.put(c, r));
            }
        }

        List<MdsCommand> plan() {
            if (servers.size() < 2 || !healthy()) {
                return List.of();
            }
            List<MdsCommand> moves = replicaMoves();
            if (!moves.isEmpty() || !busy.isEmpty()) {
                return moves; // leaders once every replica is in place: a move would reshuffle them anyway
            }
            return leaderMoves();
        }

        /** Every member on a live chunk server taking replicas, every copyset led; notes the changes under way. */
        private boolean healthy() {
            Set<Long> ids = new HashSet<>();
            servers.forEach(cs -> ids.add(cs.id()));
            for (Copyset c : copysets) {
                CopysetReport leader = leaders.get(c);
                if (!ids.containsAll(c.members()) || leader == null || leader.peers() == null) {
                    return false;
                }
                if (!leader.stableConf() || !new HashSet<>(leader.peers()).equals(new HashSet<>(c.members()))) {
                    busy.add(c);
                    c.members().stream().filter(m -> !leader.peers().contains(m))
                            .forEach(m -> joining.merge(m, 1, Integer::sum));
                    // and the member it replaces, still in the group until the change commits: it sends the
                    // catch-up (log or snapshot), so it counts against its own limit
                    leader.peers().stream().filter(m -> !c.members().contains(m))
                            .forEach(m -> leaving.merge(m, 1, Integer::sum));
                }
            }
            return true;
        }

        private List<MdsCommand> replicaMoves() {
            Map<Long, Integer> held = counts(c -> c.members());
            List<MdsCommand> out = new ArrayList<>();
            for (int guard = 0; guard < copysets.size() && !balanced(held, replicas()); guard++) {
                ReplaceCopysetMember move = nextReplicaMove(held);
                if (move == null) {
                    break;
                }
                out.add(move);
                held.merge(move.from(), -1, Integer::sum);
                held.merge(move.to(), 1, Integer::sum);
                joining.merge(move.to(), 1, Integer::sum);
                leaving.merge(move.from(), 1, Integer::sum);
            }
            return out;
        }

        private ReplaceCopysetMember nextReplicaMove(Map<Long, Integer> held) {
            List<Long> byLoad = servers.stream().map(ChunkServer::id)
                    .sorted(Comparator.comparingInt((Long id) -> held.get(id)).thenComparingLong(id -> id)).toList();
            for (int i = byLoad.size() - 1; i >= 0; i--) {
                long from = byLoad.get(i);
                if (leaving.getOrDefault(from, 0) >= perChunkServer) {
                    continue;
                }
                for (long to : byLoad) {
                    if (held.get(from) - held.get(to) < 2) {
                        break; // every later one holds at least as many: moving would only swap the imbalance
                    }
                    if (joining.getOrDefault(to, 0) >= perChunkServer) {
                        continue;
                    }
                    Copyset c = bestToMove(from, to);
                    if (c != null) {
                        busy.add(c);
                        return new ReplaceCopysetMember(c.logicalPoolId(), c.id(), c.epoch(), from, to, "balance:"
                                + " chunk server " + from + " holds " + held.get(from) + " copysets, " + to + " holds "
                                + held.get(to));
                    }
                }
            }
            return null;
        }

        /** The copyset of from that to may join, whose other members share the fewest copysets with to. */
        private Copyset bestToMove(long from, long to) {
            ChunkServer target = t.chunkServer(to).orElseThrow();
            long zone = t.zoneOf(target);
            Copyset best = null;
            int bestShared = Integer.MAX_VALUE;
            for (Copyset c : copysets) {
                if (busy.contains(c) || !c.members().contains(from) || c.members().contains(to)) {
                    continue;
                }
                boolean zoneTaken = c.members().stream().filter(m -> m != from)
                        .anyMatch(m -> t.chunkServer(m).map(t::zoneOf).orElse(-1L) == zone);
                // As in recovery: never onto a chunk server still holding an old replica of it, nor at an address
                // the group still counts, or the new member could vote without the log it had.
                if (zoneTaken || RecoveryPlanner.hosts(latest.get(to), c) || RecoveryPlanner.memberAddresses(t, c,
                        leaders.get(c)).contains(target.host() + ":" + target.port())) {
                    continue;
                }
                int shared = 0;
                for (Copyset other : copysets) {
                    if (other.members().contains(to)) {
                        shared += (int) c.members().stream().filter(m -> m != from && other.members().contains(m))
                                .count();
                    }
                }
                if (shared < bestShared) {
                    best = c;
                    bestShared = shared;
                }
            }
            return best;
        }

        private List<MdsCommand> leaderMoves() {
            Map<Long, Integer> preferred = counts(c -> List.of(c.preferredLeader()));
            List<MdsCommand> out = new ArrayList<>();
            Set<Copyset> moved = new HashSet<>();
            // One election per move: a few per round, so leadership does not churn everywhere at once.
            while (out.size() < servers.size() && !balanced(preferred, copysets.size())) {
                List<PreferCopysetLeader> chain = nextLeaderChain(preferred, moved);
                if (chain.isEmpty()) {
                    break;
                }
                out.addAll(chain);
            }
            return out;
        }

        /**
         * The shortest chain of preference moves from a chunk server preferred by the most copysets to one preferred
         * by at least two fewer: the first hands one copyset to a member, which hands another to one of its members,
         * and so on, so only the ends change counts. A direct move is a chain of one. Chains are needed because two
         * chunk servers of one zone never share a copyset: one preferred by 3 and the other by 1 can only even out
         * through servers of other zones. Empty when there is none.
         */
        private List<PreferCopysetLeader> nextLeaderChain(Map<Long, Integer> preferred, Set<Copyset> moved) {
            List<Long> byLoad = servers.stream().map(ChunkServer::id)
                    .sorted(Comparator.comparingInt((Long id) -> preferred.get(id)).reversed()
                            .thenComparingLong(id -> id)).toList();
            for (long from : byLoad) {
                Map<Long, Copyset> via = new HashMap<>(); // chunk server reached -> the copyset that hands it one
                Map<Long, Long> previous = new HashMap<>();
                java.util.ArrayDeque<Long> queue = new java.util.ArrayDeque<>(List.of(from));
                previous.put(from, from);
                while (!queue.isEmpty()) {
                    long at = queue.poll();
                    for (Copyset c : copysets) {
                        if (moved.contains(c) || c.preferredLeader() != at) {
                            continue;
                        }
                        for (long m : c.members()) {
                            if (previous.containsKey(m)) {
                                continue;
                            }
                            previous.put(m, at);
                            via.put(m, c);
                            if (preferred.get(m) <= preferred.get(from) - 2) {
                                return chain(from, m, previous, via, preferred, moved);
                            }
                            queue.add(m);
                        }
                    }
                }
            }
            return List.of();
        }

        private List<PreferCopysetLeader> chain(long from, long to, Map<Long, Long> previous, Map<Long, Copyset> via,
                                                Map<Long, Integer> preferred, Set<Copyset> moved) {
            List<PreferCopysetLeader> out = new ArrayList<>();
            String why = "balance leaders: chunk server " + from + " is preferred leader of " + preferred.get(from)
                    + " copysets, " + to + " of " + preferred.get(to);
            for (long at = to; at != from; at = previous.get(at)) {
                Copyset c = via.get(at);
                moved.add(c);
                out.add(0, new PreferCopysetLeader(c.logicalPoolId(), c.id(), c.epoch(), at, why));
            }
            preferred.merge(from, -1, Integer::sum);
            preferred.merge(to, 1, Integer::sum);
            return out;
        }

        private int replicas() {
            return copysets.stream().mapToInt(c -> c.members().size()).sum();
        }

        /** How many of what (members, preferred leaders) each chunk server of the pool counts. */
        private Map<Long, Integer> counts(java.util.function.Function<Copyset, List<Long>> what) {
            Map<Long, Integer> out = new HashMap<>();
            servers.forEach(cs -> out.put(cs.id(), 0));
            copysets.forEach(c -> what.apply(c).forEach(m -> out.merge(m, 1, Integer::sum)));
            return out;
        }

        /** Within the tolerance of the average, or no two chunk servers more than one apart. */
        private static boolean balanced(Map<Long, Integer> counts, int total) {
            int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            double avg = (double) total / counts.size();
            return max - min <= 1 || (max <= avg * (1 + TOLERANCE) && min >= avg * (1 - TOLERANCE));
        }
    }
}
