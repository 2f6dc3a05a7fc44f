package io.camber.mds.topology;

import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import io.camber.common.api.TopologySpec.PhysicalPoolSpec;
import io.camber.common.api.TopologySpec.ServerSpec;
import io.camber.common.api.TopologySpec.ZoneSpec;

import java.util.ArrayList;
import java.util.List;

/** Topologies the MDS unit tests plan from. */
public final class TestTopologies {
    private TestTopologies() {
    }

    /**
     * Physical pool "pool1" of three zones with one server and one 100 GiB chunk server each, and logical pool
     * "pool1" on it: 3 replicas, the given number of copysets, 16 MiB chunks, 64 MiB segments.
     */
    public static TopologySpec threeZones(int copysets) {
        List<ZoneSpec> zones = new ArrayList<>();
        for (int z = 1; z <= 3; z++) {
            zones.add(new ZoneSpec("zone" + z, List.of(new ServerSpec("server-" + z, "127.0.0.1",
                    List.of(new ChunkServerSpec(9200 + z, "/data/cs" + z, "100GiB"))))));
        }
        return new TopologySpec(List.of(new PhysicalPoolSpec("pool1", zones)),
                List.of(new LogicalPoolSpec("pool1", "pool1", null, 3, copysets, "16MiB", "64MiB")));
    }

    /** {@link #threeZones} planned onto an empty topology, with no chunk server up yet. */
    public static Topology planned(int copysets) {
        return TopologyPlanner.plan(Topology.empty(), threeZones(copysets), id -> false).next();
    }
}
