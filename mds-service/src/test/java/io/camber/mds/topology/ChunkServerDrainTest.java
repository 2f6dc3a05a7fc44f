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

class ChunkServerDrainTest {
    /** Zones z1..z3; chunk servers 1-3 one per zone, chunk server 4 in z1; copyset 7-1 on 1, 2, 3. */
    private static Topology topology(int chunkServers) {
        List<Topology.Zone> zones = new ArrayList<>();
        List<Topology.Server> servers = new ArrayList<>();
        List<Topology.ChunkServer> css = new ArrayList<>();
        for (int z = 1; z <= 3; z++) {
            zones.add(new Topology.Zone(10 + z, "z" + z, 1));
        }
        for (int i = 1; i <= chunkServers; i++) {
            long zone = 10 + ((i - 1) % 3) + 1;
            servers.add(new Topology.Server(20 + i, "s" + i, "127.0.0.1", zone));
            css.add(new Topology.ChunkServer(i, 20 + i, "127.0.0.1", 9200 + i, 9300 + i, "/d" + i, 1L << 40,
                    ChunkServerState.REGISTERED));
        }
        return new Topology(100, List.of(new Topology.PhysicalPool(1, "p")), zones, servers, css,
                List.of(new Topology.LogicalPool(7, "pool", 1, LogicalPoolType.REPLICATED, 3, 16 << 20, 1 << 30)),
                Map.of(7L, List.of(new Topology.Copyset(7, 1, List.of(1L, 2L, 3L)))), List.of());
    }

    @Test
    void theOnlyChunkServerOfAZoneTheCopysetNeedsIsNotDrainedAndNothingChanges() {
        Topology t = topology(3);
        assertThatThrownBy(() -> ChunkServerDrain.drain(t, 1, true)).isInstanceOfSatisfying(CamberException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains("chunk server 1 cannot be drained", "copyset 7-1",
                            "zones z2, z3", "zone z1 has no other chunk server", "nothing was changed");
                });
        assertThat(t.chunkServer(1).orElseThrow().draining()).isFalse();
    }

    @Test
    void aSecondChunkServerInTheZoneMakesTheDrainPossibleButNotTwice() {
        Topology t = ChunkServerDrain.drain(topology(4), 1, true).next();
        assertThat(t.chunkServer(1).orElseThrow().draining()).isTrue();
        // Once 4 takes 1's replica, draining 4 too would leave it nowhere: refused while 1 is draining.
        Topology.Draft d = t.draft();
        d.copysets.put(7L, List.of(new Topology.Copyset(7, 1, List.of(4L, 2L, 3L))));
        assertThatThrownBy(() -> ChunkServerDrain.drain(d.build(), 4, true)).isInstanceOf(CamberException.class)
                .hasMessageContaining("chunk server 4 cannot be drained");
    }

    @Test
    void aChunkServerWithoutReplicasIsAlwaysDrainable() {
        Topology t = topology(4);
        assertThat(ChunkServerDrain.drain(t, 4, true).next().chunkServer(4).orElseThrow().draining()).isTrue();
    }
}
