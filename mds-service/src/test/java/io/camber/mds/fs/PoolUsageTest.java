package io.camber.mds.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.ByteSizes;
import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.mds.topology.TestTopologies;
import io.camber.mds.topology.Topology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pool's statfs figures: its chunk servers' bytes over the replica count, used only once all have reported. */
class PoolUsageTest {

    @Test
    void capacityAndUseAreRawBytesOverTheReplicaCount() {
        Topology t = TestTopologies.planned(3);
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
}
