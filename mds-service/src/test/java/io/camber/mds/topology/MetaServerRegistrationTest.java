package io.camber.mds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.MetaServerRegistration;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.PhysicalPoolSpec;
import io.camber.common.api.TopologySpec.ServerSpec;
import io.camber.common.api.TopologySpec.ZoneSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaServerRegistrationTest {
    private static final TopologySpec SPEC = new TopologySpec(List.of(new PhysicalPoolSpec("pool1", List.of(
            new ZoneSpec("zone1", List.of(new ServerSpec("server-1", "127.0.0.1",
                    List.of(new ChunkServerSpec(9201, "/d1", "1GiB")))))))), List.of());

    private static MetaServerRegistration reg(String zone, String server, int raftPort, String peer) {
        return new MetaServerRegistration("pool1", zone, server, "127.0.0.1", raftPort, raftPort - 10, peer);
    }

    private final Topology base = TopologyPlanner.plan(Topology.empty(), SPEC, id -> false).next();

    @Test
    void aMetaServerJoinsAServerOfTheTopologyOrItsOwnAndKeepsItsIdWhenItComesBack() {
        Topology one = TopologyPlanner.registerMetaServer(base, reg("zone1", "server-1", 8311, "meta1")).next();
        TopologyPlanner.Plan two = TopologyPlanner.registerMetaServer(one, reg("zone2", "server-2", 8312, "meta2"));
        TopologyPlanner.Plan again = TopologyPlanner.registerMetaServer(two.next(),
                reg("zone1", "server-1", 8311, "meta1"));

        assertThat(two.changes()).contains("add zone pool1/zone2", "add server server-2");
        assertThat(again.changes()).isEmpty();
        assertThat(again.next().metaServers()).hasSize(2);
        Topology.MetaServer m1 = again.next().metaServer("127.0.0.1", 8311).orElseThrow();
        assertThat(m1.id()).isEqualTo(one.metaServers().get(0).id());
        assertThat(again.next().server(m1.serverId()).orElseThrow().name()).isEqualTo("server-1");
    }

    @Test
    void aPeerIdIsNeverSharedNorChanged() {
        Topology one = TopologyPlanner.registerMetaServer(base, reg("zone1", "server-1", 8311, "meta1")).next();

        assertThatThrownBy(() -> TopologyPlanner.registerMetaServer(one, reg("zone2", "server-2", 8312, "meta1")))
                .isInstanceOfSatisfying(CamberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains("camber.meta.node-id");
                });
        assertThatThrownBy(() -> TopologyPlanner.registerMetaServer(one, reg("zone1", "server-1", 8311, "other")))
                .isInstanceOfSatisfying(CamberException.class,
                        e -> assertThat(e.getMessage()).contains("node-id=meta1"));
    }

    @Test
    void applyingTheTopologyFileAgainKeepsTheServersMetaServersSitOn() {
        Topology registered = TopologyPlanner.registerMetaServer(base, reg("zone2", "server-2", 8312, "meta2")).next();

        Topology applied = TopologyPlanner.plan(registered, SPEC, id -> false).next();

        assertThat(applied.metaServers()).hasSize(1);
        assertThat(applied.server("server-2")).isPresent();
        assertThat(applied.zoneOf(applied.metaServers().get(0))).isEqualTo(registered.zoneOf(registered.metaServers().get(0)));
    }

    @Test
    void registrationNeedsAnExistingPhysicalPoolAndRealPorts() {
        assertThatThrownBy(() -> TopologyPlanner.registerMetaServer(Topology.empty(), reg("z", "s", 8311, "m")))
                .isInstanceOfSatisfying(CamberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> TopologyPlanner.registerMetaServer(base, reg("zone1", "server-1", 70000, "m")))
                .isInstanceOfSatisfying(CamberException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
