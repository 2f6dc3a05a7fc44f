package io.camber.mds.cluster;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.ClusterHealth;
import io.camber.common.api.CopysetHealth;
import io.camber.mds.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthCheckTest {
    private static final long GIB = 1L << 30;
    // four chunk servers; copyset 1 on 1,2,3 and copyset 2 on 2,3,4
    private final Topology topology = new Topology(10, List.of(), List.of(), List.of(),
            List.of(server(1), server(2), server(3), server(4)), List.of(),
            Map.of(7L, List.of(new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)),
                    new Topology.Copyset(7, 2, List.of(2L, 3L, 4L)))), List.of());
    private final Map<Long, ChunkServerState> states = new HashMap<>();
    private final Map<Long, ChunkServerHeartbeat> latest = new HashMap<>();

    private static Topology.ChunkServer server(long id) {
        return new Topology.ChunkServer(id, 1, "127.0.0.1", 9200 + (int) id, 9300 + (int) id, "/d" + id, 100 * GIB,
                ChunkServerState.REGISTERED);
    }

    /** Server id reports the copysets given as {copyset, leader 0/1, applied index}, with its disk use. */
    private void heartbeat(long id, int percentFull, long[]... copysets) {
        states.put(id, ChunkServerState.ONLINE);
        List<ChunkServerHeartbeat.CopysetReport> reports = new java.util.ArrayList<>();
        for (long[] c : copysets) {
            reports.add(new ChunkServerHeartbeat.CopysetReport(7, (int) c[0], c[1] == 1, 3, c[2]));
        }
        latest.put(id, new ChunkServerHeartbeat(id, reports, percentFull, 100 - percentFull, 0, 0, 0));
    }

    private void allHealthy() {
        heartbeat(1, 10, new long[]{1, 1, 50});
        heartbeat(2, 10, new long[]{1, 0, 48}, new long[]{2, 1, 70});
        heartbeat(3, 10, new long[]{1, 0, 50}, new long[]{2, 0, 70});
        heartbeat(4, 10, new long[]{2, 0, 69});
    }

    private ClusterHealth assess() {
        return HealthCheck.assess(topology, id -> states.getOrDefault(id, ChunkServerState.REGISTERED), latest, 0);
    }

    private List<CopysetHealth> copysets() {
        return HealthCheck.copysets(topology, id -> states.getOrDefault(id, ChunkServerState.REGISTERED), latest);
    }

    @Test
    void everythingUpIsHealthOkWithLeadersAndLags() {
        allHealthy();

        ClusterHealth h = assess();
        assertThat(h.health()).isEqualTo("HEALTH_OK");
        assertThat(h.reasons()).isEmpty();
        assertThat(h.chunkServersUp()).isEqualTo(4);
        assertThat(h.copysetsHealthy()).isEqualTo(2);
        assertThat(h.capacityBytes()).isEqualTo(400 * GIB);
        CopysetHealth first = copysets().get(0);
        assertThat(first.leader()).isEqualTo(1);
        assertThat(first.members()).extracting(CopysetHealth.Member::lag).containsExactly(0L, 2L, 0L);
    }

    @Test
    void aCopysetWhoseLeaderReportsOtherMembersIsRecoveringAndAServerHoldingNothingIsNoReason() {
        allHealthy();
        // copyset 2 had member 1 take the place of 4 (down for good); its leader still runs the old configuration
        Topology moved = new Topology(10, List.of(), List.of(), List.of(), topology.chunkServers(), List.of(),
                Map.of(7L, List.of(new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)),
                        new Topology.Copyset(7, 2, List.of(2L, 3L, 1L), 1))), List.of());
        states.put(4L, ChunkServerState.OFFLINE);
        latest.put(2L, new ChunkServerHeartbeat(2, List.of(
                new ChunkServerHeartbeat.CopysetReport(7, 1, false, 3, 48, List.of(1L, 2L, 3L), true),
                new ChunkServerHeartbeat.CopysetReport(7, 2, true, 3, 70, List.of(2L, 3L, 4L), true)),
                10, 90, 0, 0, 0));

        ClusterHealth h = HealthCheck.assess(moved, id -> states.getOrDefault(id, ChunkServerState.REGISTERED),
                latest, 0);
        assertThat(h.health()).isEqualTo("HEALTH_WARN");
        assertThat(h.reasons()).containsExactly("1 copysets being recovered (a replica is catching up on the chunk"
                + " server that replaces a lost one): 1 new replicas not serving yet, 0 log entries still to catch up");
        assertThat(h.copysetsDegraded()).isEqualTo(1);
        assertThat(h.chunkServersUp()).isEqualTo(3);

        // the same change with 4 still up (a balance move or a drain): every replica of the running configuration is
        // there, so the copyset is MOVING, counted healthy, and the cluster HEALTH_OK
        states.put(4L, ChunkServerState.ONLINE);
        h = HealthCheck.assess(moved, id -> states.getOrDefault(id, ChunkServerState.REGISTERED), latest, 0);
        assertThat(h.health()).isEqualTo("HEALTH_OK");
        assertThat(h.copysetsHealthy()).isEqualTo(2);
        assertThat(h.copysetsMoving()).isEqualTo(1);
        assertThat(HealthCheck.copysets(moved, id -> states.getOrDefault(id, ChunkServerState.REGISTERED), latest))
                .extracting(CopysetHealth::state).containsExactly("HEALTHY", "MOVING");
        states.put(4L, ChunkServerState.OFFLINE);

        // once the leader runs the new configuration and 1 reports the copyset, all is well again
        latest.put(2L, new ChunkServerHeartbeat(2, List.of(
                new ChunkServerHeartbeat.CopysetReport(7, 1, false, 3, 48, List.of(1L, 2L, 3L), true),
                new ChunkServerHeartbeat.CopysetReport(7, 2, true, 3, 72, List.of(1L, 2L, 3L), true)),
                10, 90, 0, 0, 0));
        latest.put(1L, new ChunkServerHeartbeat(1, List.of(
                new ChunkServerHeartbeat.CopysetReport(7, 1, true, 3, 50, List.of(1L, 2L, 3L), true),
                new ChunkServerHeartbeat.CopysetReport(7, 2, false, 3, 72, List.of(1L, 2L, 3L), true)),
                10, 90, 0, 0, 0));
        h = HealthCheck.assess(moved, id -> states.getOrDefault(id, ChunkServerState.REGISTERED), latest, 0);
        assertThat(h.health()).isEqualTo("HEALTH_OK");
        assertThat(h.reasons()).isEmpty();
        assertThat(h.chunkServersUp()).isEqualTo(3);
        assertThat(h.chunkServers()).isEqualTo(4);
    }

    @Test
    void unrepairedBadPagesAreAScrubErrorWarningUntilRepaired() {
        allHealthy();
        ChunkServerHeartbeat hb = latest.get(2L);
        latest.put(2L, new ChunkServerHeartbeat(2, hb.copysets(), 10, 90, 0, 0, 0, 3, 2));

        ClusterHealth h = assess();
        assertThat(h.health()).isEqualTo("HEALTH_WARN");
        assertThat(h.reasons()).singleElement().asString().contains("scrub errors: 2 bad 4 KiB pages")
                .contains("chunk server 2");

        latest.put(2L, new ChunkServerHeartbeat(2, hb.copysets(), 10, 90, 0, 0, 0, 3, 0));
        assertThat(assess().health()).isEqualTo("HEALTH_OK");
    }

    @Test
    void aServerDownDegradesItsCopysetsAndWarns() {
        allHealthy();
        states.put(4L, ChunkServerState.OFFLINE);

        ClusterHealth h = assess();
        assertThat(h.health()).isEqualTo("HEALTH_WARN");
        assertThat(h.reasons()).containsExactly(
                "1 copysets degraded (a replica down or missing): redundancy reduced",
                "chunk server 4 (127.0.0.1:9204) is OFFLINE and holds 1 copyset replicas");
        assertThat(h.copysetsDegraded()).isEqualTo(1);
        assertThat(copysets().get(1).members().get(2)).isEqualTo(
                new CopysetHealth.Member(4, ChunkServerState.OFFLINE, false, null));
    }

    @Test
    void aCopysetWithoutMajorityOrLeaderIsAnErrorAndANearlyFullDiskAWarning() {
        allHealthy();
        states.put(2L, ChunkServerState.UNSTABLE);
        states.put(3L, ChunkServerState.OFFLINE);
        heartbeat(4, 95, new long[]{2, 0, 69});

        ClusterHealth h = assess();
        assertThat(h.health()).isEqualTo("HEALTH_ERR");
        assertThat(h.reasons().get(0)).startsWith("2 copysets unavailable");
        assertThat(h.reasons()).contains("chunk server 4 disk is 95% full");
        assertThat(h.copysetsUnavailable()).isEqualTo(2);
        assertThat(h.fullestDiskPercent()).isEqualTo(95);
    }

    @Test
    void aMemberThatDoesNotReportTheCopysetCountsAsMissing() {
        allHealthy();
        heartbeat(4, 10); // up, but its heartbeat lists no copyset (its replica was lost)

        assertThat(copysets().get(1).state()).isEqualTo("DEGRADED");
        assertThat(assess().health()).isEqualTo("HEALTH_WARN");
    }
}
