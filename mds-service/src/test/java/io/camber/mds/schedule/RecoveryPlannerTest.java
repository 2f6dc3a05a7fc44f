package io.camber.mds.schedule;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerHeartbeat.CopysetReport;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.LogicalPoolType;
import io.camber.mds.raft.MdsCommand.ReplaceCopysetMember;
import io.camber.mds.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryPlannerTest {
    /** Chunk server i sits alone in zone "z"+i; all in physical pool 1, logical pool 7. */
    private static Topology topology(int chunkServers, Topology.Copyset... copysets) {
        List<Topology.Zone> zones = new ArrayList<>();
        List<Topology.Server> servers = new ArrayList<>();
        List<Topology.ChunkServer> css = new ArrayList<>();
        for (int i = 1; i <= chunkServers; i++) {
            zones.add(new Topology.Zone(10 + i, "z" + i, 1));
            servers.add(new Topology.Server(20 + i, "s" + i, "127.0.0.1", 10 + i));
            css.add(new Topology.ChunkServer(i, 20 + i, "127.0.0.1", 9200 + i, 9300 + i, "/d" + i, 1L << 40,
                    ChunkServerState.REGISTERED));
        }
        return new Topology(100, List.of(new Topology.PhysicalPool(1, "p")), zones, servers, css,
                List.of(new Topology.LogicalPool(7, "pool", 1, LogicalPoolType.REPLICATED, 3, 16 << 20, 1 << 30)),
                Map.of(7L, List.of(copysets)), List.of());
    }

    private final Set<Long> lost = new HashSet<>();
    private final Set<Long> down = new HashSet<>();
    private final Map<Long, List<CopysetReport>> reports = new HashMap<>();

    /** Chunk server id leads copyset with the given Raft configuration. */
    private void leads(long id, int copyset, boolean stable, Long... peers) {
        reports.computeIfAbsent(id, k -> new ArrayList<>())
                .add(new CopysetReport(7, copyset, true, 5, 100, List.of(peers), stable));
    }

    private List<ReplaceCopysetMember> plan(Topology t, int perTarget) {
        Map<Long, ChunkServerHeartbeat> latest = new HashMap<>();
        reports.forEach((id, r) -> latest.put(id, new ChunkServerHeartbeat(id, r, 0, 1, 0, 0, 0)));
        return RecoveryPlanner.plan(t, lost::contains, id -> !lost.contains(id) && !down.contains(id), latest,
                perTarget);
    }

    @Test
    void aLostMemberIsReplacedInTheOnlyFreeZoneByTheLeastLoadedLiveServer() {
        Topology t = topology(5, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)),
                new Topology.Copyset(7, 2, List.of(2L, 3L, 4L)), new Topology.Copyset(7, 3, List.of(1L, 4L, 5L)));
        leads(1, 1, true, 1L, 2L, 3L);
        leads(2, 2, true, 2L, 3L, 4L);
        leads(1, 3, true, 1L, 4L, 5L);
        lost.add(3L);

        List<ReplaceCopysetMember> changes = plan(t, 2);

        // copyset 1 may go to 4 (2 replicas) or 5 (1): 5; copyset 2 may go to 1 or 5, which now hold 2 each: the
        // lower id wins
        assertThat(changes).extracting(ReplaceCopysetMember::copysetId, ReplaceCopysetMember::from,
                ReplaceCopysetMember::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 3L, 5L), org.assertj.core.groups.Tuple.tuple(2, 3L, 1L));
        assertThat(changes).allMatch(c -> c.epoch() == 0);
    }

    @Test
    void nothingMovesWithoutALeaderOrWhileAChangeIsUnderWay() {
        Topology t = topology(5, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)),
                new Topology.Copyset(7, 2, List.of(1L, 2L, 4L), 1));
        lost.add(1L);
        // copyset 1: nobody reports leading it; copyset 2: its leader is still adding 4 (joint configuration)
        leads(2, 2, false, 1L, 2L, 3L);
        assertThat(plan(t, 2)).isEmpty();

        // a stable configuration that is not yet the members (4 not taken in yet) is a change under way as well:
        // replacing the lost established member 1 now would leave two new members that could elect each other
        reports.clear();
        leads(2, 2, true, 1L, 2L, 3L);
        assertThat(plan(t, 2)).isEmpty();
        // ...unless the joining member itself is lost, or stuck: then it is the one replaced
        lost.add(4L);
        assertThat(plan(t, 2)).extracting(ReplaceCopysetMember::copysetId, ReplaceCopysetMember::from,
                ReplaceCopysetMember::to).containsExactly(org.assertj.core.groups.Tuple.tuple(2, 4L, 5L));
        lost.remove(4L);
        Map<Long, ChunkServerHeartbeat> latest = new HashMap<>();
        reports.forEach((id, r) -> latest.put(id, new ChunkServerHeartbeat(id, r, 0, 1, 0, 0, 0)));
        Topology joining = t;
        assertThat(RecoveryPlanner.plan(joining, lost::contains, id -> !lost.contains(id), latest, 2,
                (c, m) -> c.id() == 2 && m == 4L)).extracting(ReplaceCopysetMember::from, ReplaceCopysetMember::why)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, "recover: chunk server 4 did not join"));
    }

    @Test
    void aDrainingMemberMovesWhileLiveAndNothingMovesOntoADrainingServer() {
        Topology base = topology(5, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)));
        Topology t = io.camber.mds.topology.ChunkServerDrain.drain(
                io.camber.mds.topology.ChunkServerDrain.drain(base, 3, true).next(), 5, true).next();
        leads(1, 1, true, 1L, 2L, 3L);
        lost.add(3L); // the scheduler counts a draining chunk server's members as to be moved
        Map<Long, ChunkServerHeartbeat> latest = new HashMap<>();
        reports.forEach((id, r) -> latest.put(id, new ChunkServerHeartbeat(id, r, 0, 1, 0, 0, 0)));
        assertThat(RecoveryPlanner.plan(t, lost::contains, id -> true, latest, 2))
                .extracting(ReplaceCopysetMember::from, ReplaceCopysetMember::to, ReplaceCopysetMember::why)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 4L, "drain: chunk server 3 is draining"));
    }

    @Test
    void aTargetTakesAtMostPerTargetReplicasCatchingUp() {
        Topology t = topology(4, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)),
                new Topology.Copyset(7, 2, List.of(1L, 2L, 3L)), new Topology.Copyset(7, 3, List.of(1L, 2L, 3L)));
        for (int c = 1; c <= 3; c++) {
            leads(1, c, true, 1L, 2L, 3L);
        }
        lost.add(3L);
        assertThat(plan(t, 1)).hasSize(1);
        assertThat(plan(t, 2)).hasSize(2);
        assertThat(plan(t, 5)).extracting(ReplaceCopysetMember::to).containsExactly(4L, 4L, 4L);
    }

    @Test
    void noLiveServerInAFreeZoneMeansNoChange() {
        Topology t = topology(4, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)));
        leads(1, 1, true, 1L, 2L, 3L);
        lost.add(3L);
        down.add(4L);
        assertThat(plan(t, 2)).isEmpty();
    }

    @Test
    void aLeaderReportFromADeadServerDoesNotCount() {
        Topology t = topology(4, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)));
        leads(3, 1, true, 1L, 2L, 3L);
        lost.add(3L);
        assertThat(plan(t, 2)).isEmpty();
    }

    @Test
    void aServerStillInTheRaftConfigurationOrHoldingAnOldReplicaIsNeverTheNewMember() {
        Topology t = topology(5, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)));
        lost.add(3L);
        // the leader still counts 4 in (an earlier change the MDS has since undone), and 5 holds an old replica
        leads(1, 1, true, 1L, 2L, 3L, 4L);
        reports.computeIfAbsent(5L, k -> new ArrayList<>()).add(new CopysetReport(7, 1, false, 4, 10,
                List.of(1L, 2L, 5L), true));
        assertThat(plan(t, 2)).isEmpty();
    }

    @Test
    void anOldReplicaIsRemovableOnlyOnceTheLeadersCommittedConfigurationLeavesItOut() {
        Topology t = topology(4, new Topology.Copyset(7, 1, List.of(1L, 2L, 4L), 1));
        // 3 was replaced by 4 and came back with its old replica
        reports.computeIfAbsent(3L, k -> new ArrayList<>()).add(new CopysetReport(7, 1, false, 4, 10,
                List.of(1L, 2L, 3L), true));
        Map<Long, ChunkServerHeartbeat> latest = new HashMap<>();
        java.util.function.Supplier<List<Topology.Copyset>> removable = () -> {
            latest.clear();
            reports.forEach((id, r) -> latest.put(id, new ChunkServerHeartbeat(id, r, 0, 1, 0, 0, 0)));
            return RecoveryPlanner.removable(t, 3, id -> !down.contains(id), latest);
        };
        assertThat(removable.get()).as("no leader report yet").isEmpty();
        leads(1, 1, false, 1L, 2L, 3L);
        assertThat(removable.get()).as("joint configuration").isEmpty();
        reports.get(1L).clear();
        leads(1, 1, true, 1L, 2L, 3L);
        assertThat(removable.get()).as("the leader still runs the old configuration").isEmpty();
        reports.get(1L).clear();
        leads(1, 1, true, 1L, 2L, 4L);
        assertThat(removable.get()).extracting(Topology.Copyset::id).containsExactly(1);
        // a member, or one the MDS chose again, keeps its replica
        Topology chosenAgain = topology(4, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L), 2));
        assertThat(RecoveryPlanner.removable(chosenAgain, 3, id -> true, latest)).isEmpty();
    }

    @Test
    void aNewChunkServerAtTheAddressOfAMemberTheGroupStillCountsIsNeverTheTarget() {
        // 3's disk was wiped: chunk server 5 registered at 3's address (and 3 was retired) in 3's zone
        Topology base = topology(4, new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)));
        Topology.Draft d = base.draft();
        Topology.ChunkServer old = base.chunkServer(3).orElseThrow();
        d.chunkServers.set(d.chunkServers.indexOf(old), old.retiredOne());
        d.chunkServers.set(d.chunkServers.indexOf(base.chunkServer(4).orElseThrow()),
                new Topology.ChunkServer(5, old.serverId(), old.host(), old.port(), 9399, "/d5", 1L << 40,
                        ChunkServerState.REGISTERED));
        Topology t = d.build();
        leads(1, 1, true, 1L, 2L, 3L);
        lost.add(3L);
        assertThat(plan(t, 2)).as("its copysets wait (degraded) rather than share an address").isEmpty();
    }
}
