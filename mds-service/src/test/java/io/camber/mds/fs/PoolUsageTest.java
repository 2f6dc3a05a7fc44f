package io.camber.mds.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.ByteSizes;
import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import io.camber.common.api.TopologySpec.PhysicalPoolSpec;
import io.camber.common.api.TopologySpec.ServerSpec;
import io.camber.common.api.TopologySpec.ZoneSpec;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.TopologyPlanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pool's statfs figures: its chunk servers' bytes over the replica count, used only once all have reported. */
class PoolUsageTest {

    @Test
    void capacityAndUseAreRawBytesOverTheReplicaCount() {
        Topology t = TopologyPlanner.plan(Topology.empty(), spec(), id -> false).next();
        long pool = t.logicalPool("pool1").orElseThrow().id();
        Map<Long, ChunkServerHeartbeat> latest = new HashMap<>();
        List<Topology.ChunkServer> servers = t.chunkServers();
        assertThat(PoolUsage.of(t, pool, latest)).isEqualTo(new PoolUsage(100 * ByteSizes.GIB, -1));
        for (int i = 0; i < servers.size(); i++) {
            latest.put(servers.get(i).id(), new ChunkServerHeartbeat(servers.get(i).id(), List.of(),
                    (i + 1) * ByteSizes.GIB, 0, 0, 0, 0));
            PoolUsage usage = PoolUsage.of(t, pool, latest);
            assertThat(usage.usedBytes()).as("known once all reported").isEqualTo(i < servers.size() - 1 ? -1
                    : 6 * ByteSizes.GIB / 3);
        }
        assertThat(PoolUsage.of(t, 999, latest)).isEqualTo(PoolUsage.UNKNOWN);
    }

    private static TopologySpec spec() {
        List<ZoneSpec> zones = new ArrayList<>();
        for (int z = 1; z <= 3; z++) {
            zones.add(new ZoneSpec("zone" + z, List.of(new ServerSpec("server-" + z, "127.0.0.1",
                    List.of(new ChunkServerSpec(9200 + z, "/data/cs" + z, "100GiB"))))));
        }
        return new TopologySpec(List.of(new PhysicalPoolSpec("pool1", zones)),
                List.of(new LogicalPoolSpec("pool1", "pool1", null, 3, 3, "16MiB", "64MiB")));
    }
}
