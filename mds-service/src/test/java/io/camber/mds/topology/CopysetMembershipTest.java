package io.camber.mds.topology;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.LogicalPoolType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopysetMembershipTest {
    /** Chunk servers 1-4 in zones z1-z4, chunk server 5 shares z1 with 1, 6 is retired (in z4). */
    private static Topology topology() {
        List<Topology.Zone> zones = new ArrayList<>();
        List<Topology.Server> servers = new ArrayList<>();
        List<Topology.ChunkServer> css = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            zones.add(new Topology.Zone(10 + i, "z" + i, 1));
            servers.add(new Topology.Server(20 + i, "s" + i, "127.0.0.1", 10 + i));
            css.add(chunkServer(i, 20 + i, false));
        }
        css.add(chunkServer(5, 21, false));
        css.add(chunkServer(6, 24, true));
        return new Topology(100, List.of(new Topology.PhysicalPool(1, "p")), zones, servers, css,
                List.of(new Topology.LogicalPool(7, "pool", 1, LogicalPoolType.REPLICATED, 3, 16 << 20, 1 << 30)),
                Map.of(7L, List.of(new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)),
                        new Topology.Copyset(7, 2, List.of(2L, 3L, 4L)))), List.of());
    }

    private static Topology.ChunkServer chunkServer(long id, long server, boolean retired) {
        Topology.ChunkServer cs = new Topology.ChunkServer(id, server, "127.0.0.1", 9200 + (int) id, 9300 + (int) id,
                "/d" + id, 1L << 40, ChunkServerState.REGISTERED);
        return retired ? cs.retiredOne() : cs;
    }

    @Test
    void replacingAMemberKeepsItsPlaceAndBumpsTheEpoch() {
        TopologyPlanner.Plan plan = CopysetMembership.replace(topology(), 7, 1, 0, 2, 4);
        Topology.Copyset c = plan.next().copyset(7, 1).orElseThrow();
        assertThat(c.members()).containsExactly(1L, 4L, 3L);
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(plan.next().copyset(7, 2).orElseThrow()).isEqualTo(topology().copyset(7, 2).orElseThrow());
        assertThat(plan.changes()).hasSize(1);
    }

    @Test
    void badChangesAreRefusedWithClearErrors() {
        Topology t = topology();
        assertRefused(() -> CopysetMembership.replace(t, 7, 9, 0, 1, 4), ErrorCode.NOT_FOUND, "does not exist");
        assertRefused(() -> CopysetMembership.replace(t, 7, 1, 3, 1, 4), ErrorCode.CONFLICT, "changed since");
        assertRefused(() -> CopysetMembership.replace(t, 7, 1, 0, 4, 4), ErrorCode.INVALID_ARGUMENT,
                "is not a member");
        assertRefused(() -> CopysetMembership.replace(t, 7, 1, 0, 3, 2), ErrorCode.INVALID_ARGUMENT,
                "already a member");
        assertRefused(() -> CopysetMembership.replace(t, 7, 1, 0, 3, 5), ErrorCode.INVALID_ARGUMENT, "shares zone z1");
        assertRefused(() -> CopysetMembership.replace(t, 7, 1, 0, 3, 6), ErrorCode.INVALID_ARGUMENT, "retired");
        assertRefused(() -> CopysetMembership.replace(t, 7, 1, 0, 3, 99), ErrorCode.NOT_FOUND, "does not exist");
        // replacing the member that shares the zone is fine: 5 takes 1's place in z1
        assertThat(CopysetMembership.replace(t, 7, 1, 0, 1, 5).next().copyset(7, 1).orElseThrow().members())
                .containsExactly(5L, 2L, 3L);
    }

    private static void assertRefused(Runnable change, ErrorCode code, String message) {
        assertThatThrownBy(change::run).isInstanceOf(CamberException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((CamberException) e).code()).isEqualTo(code));
    }
}
