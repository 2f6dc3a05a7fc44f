package io.camber.mds.schedule;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerHeartbeat.CopysetReport;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.LogicalPoolType;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsCommand.PreferCopysetLeader;
import io.camber.mds.raft.MdsCommand.ReplaceCopysetMember;
import io.camber.mds.topology.ChunkServerDrain;
import io.camber.mds.topology.CopysetMembership;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.Topology.Copyset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BalancePlannerTest {
    private final Set<Long> down = new HashSet<>();

    /** Chunk server i sits in zone "z" + ((i - 1) % zones + 1); all in physical pool 1, logical pool 7. */
    private static Topology topology(int chunkServers, int zones, List<Copyset> copysets) {
        List<Topology.Zone> zs = new ArrayList<>();
        for (int z = 1; z <= zones; z++) {
            zs.add(new Topology.Zone(10 + z, "z" + z, 1));
        }
        List<Topology.Server> servers = new ArrayList<>();
        List<Topology.ChunkServer> css = new ArrayList<>();
        for (int i = 1; i <= chunkServers; i++) {
            servers.add(new Topology.Server(20 + i, "s" + i, "127.0.0.1", 10 + (i - 1) % zones + 1));
            css.add(new Topology.ChunkServer(i, 20 + i, "127.0.0.1", 9200 + i, 9300 + i, "/d" + i, 1L << 40,
                    ChunkServerState.REGISTERED));
        }
        return new Topology(100, List.of(new Topology.PhysicalPool(1, "p")), zs, servers, css,
                List.of(new Topology.LogicalPool(7, "pool", 1, LogicalPoolType.REPLICATED, 3, 16 << 20, 1 << 30)),
                Map.of(7L, List.copyOf(copysets)), List.of());
    }

    /** Every copyset led by its preferred member in a settled configuration equal to its members. */
    private static Map<Long, ChunkServerHeartbeat> settled(Topology t) {
        Map<Long, List<CopysetReport>> reports = new HashMap<>();
        t.chunkServers().forEach(cs -> reports.put(cs.id(), new ArrayList<>()));
        for (Copyset c : t.copysetsOf(7)) {
            reports.get(c.preferredLeader()).add(new CopysetReport(7, c.id(), true, 3, 10, c.members(), true));
        }
        Map<Long, ChunkServerHeartbeat> latest = new HashMap<>();
        reports.forEach((id, r) -> latest.put(id, new ChunkServerHeartbeat(id, r, 0, 1, 0, 0, 0)));
        return latest;
    }

    private List<MdsCommand> plan(Topology t, int perChunkServer) {
        return BalancePlanner.plan(t, id -> !down.contains(id), settled(t), perChunkServer);
    }

    /** Applies the changes the way the MDS state machine does. */
    private static Topology apply(Topology t, List<MdsCommand> changes) {
        for (MdsCommand c : changes) {
            if (c instanceof ReplaceCopysetMember r) {
                t = CopysetMembership.replace(t, r.logicalPoolId(), r.copysetId(), r.epoch(), r.from(), r.to()).next();
            } else if (c instanceof PreferCopysetLeader p) {
                t = CopysetMembership.prefer(t, p.logicalPoolId(), p.copysetId(), p.epoch(), p.member()).next();
            }
        }
        return t;
    }

    /** Scale-out: 12 copysets on chunk servers 1-3, then 3 empty ones join (one per zone). */
    private static Topology scaledOut() {
        List<Copyset> copysets = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            copysets.add(new Copyset(7, i, List.of(1L, 2L, 3L)));
        }
        return topology(6, 3, copysets);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
    void scaleOutEvensReplicasThenLeadersWithinTenPercentKeepingZonesApart(int perChunkServer) {
        // with 3 moves per chunk server at once, leader preferences end 3 and 1 on the two chunk servers of one zone,
        // which share no copyset: only a chain through other zones evens them out
        Topology t = scaledOut();
        int rounds = 0;
        List<MdsCommand> changes;
        while (!(changes = plan(t, perChunkServer)).isEmpty()) {
            assertThat(rounds++).as("rounds").isLessThan(40);
            if (changes.get(0) instanceof ReplaceCopysetMember) {
                assertThat(changes).allMatch(c -> c instanceof ReplaceCopysetMember);
                Map<Long, Integer> joins = new HashMap<>();
                changes.forEach(c -> joins.merge(((ReplaceCopysetMember) c).to(), 1, Integer::sum));
                assertThat(joins.values()).allMatch(n -> n <= perChunkServer); // rate-limited per chunk server
            }
            t = apply(t, changes);
        }
        Map<Long, Integer> held = t.copysetCounts();
        Map<Long, Integer> leaders = new HashMap<>();
        for (Copyset c : t.copysetsOf(7)) {
            leaders.merge(c.preferredLeader(), 1, Integer::sum);
            Set<Long> zones = new HashSet<>();
            Topology view = t;
            c.members().forEach(m -> zones.add(view.zoneOf(view.chunkServer(m).orElseThrow())));
            assertThat(zones).as("zones of copyset " + c.id()).hasSize(3);
        }
        // 36 replicas over 6 chunk servers: 6 each; 12 leaders: 2 each
        assertThat(held).hasSize(6).allSatisfy((id, n) -> assertThat(n).as("copysets on " + id).isEqualTo(6));
        assertThat(leaders).hasSize(6).allSatisfy((id, n) -> assertThat(n).as("leaders on " + id).isEqualTo(2));
    }

    @Test
    void nothingMovesWhileAMemberIsDownDrainingOrAChangeIsUnderWay() {
        Topology t = scaledOut();
        down.add(2L);
        assertThat(plan(t, 2)).as("a member is down: recovery's turn").isEmpty();
        down.clear();
        Topology draining = ChunkServerDrain.drain(t, 1, true).next();
        assertThat(plan(draining, 2)).as("a member drains: recovery moves it").isEmpty();

        // copyset 1's leader still runs a joint configuration: others may move, copyset 1 not, leaders not at all
        Map<Long, ChunkServerHeartbeat> latest = settled(t);
        long leader = t.copysetsOf(7).get(0).preferredLeader();
        List<CopysetReport> reports = new ArrayList<>(latest.get(leader).copysets());
        reports.replaceAll(r -> r.copysetId() == 1 ? new CopysetReport(7, 1, true, 3, 10, r.peers(), false) : r);
        latest.put(leader, new ChunkServerHeartbeat(leader, reports, 0, 1, 0, 0, 0));
        List<MdsCommand> changes = BalancePlanner.plan(t, id -> true, latest, 2);
        assertThat(changes).isNotEmpty().allMatch(c -> c instanceof ReplaceCopysetMember r && r.copysetId() != 1);
    }

    @Test
    void aBalancedPoolStaysPut() {
        List<Copyset> copysets = new ArrayList<>();
        // 6 copysets over 6 chunk servers in 3 zones, 3 each, leaders 1 each
        long[][] members = {{1, 2, 3}, {4, 5, 6}, {1, 5, 3}, {4, 2, 6}, {1, 2, 6}, {4, 5, 3}};
        for (int i = 0; i < members.length; i++) {
            copysets.add(new Copyset(7, i + 1, List.of(members[i][0], members[i][1], members[i][2])));
        }
        Topology t = topology(6, 3, copysets);
        List<MdsCommand> changes = plan(t, 2);
        // replicas are even (3 each); leaders: one move at most brings them within one of each other
        assertThat(changes).allMatch(c -> c instanceof PreferCopysetLeader);
        Topology after = apply(t, changes);
        assertThat(plan(after, 2)).isEmpty();
    }

    @Test
    void preferringAMemberSwapsItIntoThePreferredPlace() {
        Copyset c = new Copyset(7, 4, List.of(1L, 2L, 3L)); // preferred place: 4 % 3 = 1, chunk server 2
        assertThat(c.preferredLeader()).isEqualTo(2L);
        Copyset moved = c.preferring(3L);
        assertThat(moved.members()).containsExactly(1L, 3L, 2L);
        assertThat(moved.preferredLeader()).isEqualTo(3L);
        assertThat(moved.epoch()).isEqualTo(1);
        Topology t = topology(3, 3, List.of(c));
        assertThatThrownBy(() -> CopysetMembership.prefer(t, 7, 4, 0, 9L)).hasMessageContaining("not a member");
        assertThatThrownBy(() -> CopysetMembership.prefer(t, 7, 4, 3, 3L)).hasMessageContaining("changed since");
    }

    @Test
    void aDrainingChunkServerTakesNoReplicaAndIsRemovedOnlyOnceEmpty() {
        Topology t = ChunkServerDrain.drain(scaledOut(), 4, true).next();
        assertThat(t.chunkServer(4).orElseThrow().draining()).isTrue();
        assertThatThrownBy(() -> CopysetMembership.replace(t, 7, 1, 0, 1, 4)).hasMessageContaining("draining");
        assertThatThrownBy(() -> ChunkServerDrain.remove(t, 1)).hasMessageContaining("still a member of 12");
        Topology removed = ChunkServerDrain.remove(t, 4).next();
        assertThat(removed.chunkServer(4)).isEmpty();
        assertThatThrownBy(() -> ChunkServerDrain.remove(removed, 4)).hasMessageContaining("does not exist");
        // draining twice changes nothing; cancelling clears it
        assertThat(ChunkServerDrain.drain(t, 4, true).changes()).isEmpty();
        assertThat(ChunkServerDrain.drain(t, 4, false).next().chunkServer(4).orElseThrow().draining()).isFalse();
    }
}
