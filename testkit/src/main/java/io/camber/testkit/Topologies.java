package io.camber.testkit;

import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import io.camber.common.api.TopologySpec.PhysicalPoolSpec;
import io.camber.common.api.TopologySpec.ServerSpec;
import io.camber.common.api.TopologySpec.ZoneSpec;

import java.util.ArrayList;
import java.util.List;

/** Topology specs for tests: one physical pool with chunk servers dealt over zones. */
public final class Topologies {
    private Topologies() {
    }

    /** zones zones with perZone chunk servers each (ports from 9201) and one logical pool "pool1". */
    public static TopologySpec pool(int zones, int perZone, int copysets) {
        List<ZoneSpec> zs = new ArrayList<>();
        int port = 9201;
        for (int z = 1; z <= zones; z++) {
            List<ServerSpec> servers = new ArrayList<>();
            for (int s = 1; s <= perZone; s++) {
                servers.add(new ServerSpec("server-" + z + "-" + s, "127.0.0.1",
                        List.of(new ChunkServerSpec(port, "/data/cs" + port, "100GiB"))));
                port++;
            }
            zs.add(new ZoneSpec("zone" + z, servers));
        }
        return new TopologySpec(List.of(new PhysicalPoolSpec("pool1", zs)),
                List.of(new LogicalPoolSpec("pool1", "pool1", null, 3, copysets, "16MiB", "1GiB")));
    }
}
