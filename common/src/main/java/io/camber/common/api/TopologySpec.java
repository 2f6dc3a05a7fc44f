package io.camber.common.api;

import java.util.List;

/** The declarative cluster shape a topology file describes; applying it twice changes nothing. */
public record TopologySpec(List<PhysicalPoolSpec> physicalPools, List<LogicalPoolSpec> logicalPools) {

    /** A physical pool and the zones in it. */
    public record PhysicalPoolSpec(String name, List<ZoneSpec> zones) {
    }

    /** A failure domain (rack). */
    public record ZoneSpec(String name, List<ServerSpec> servers) {
    }

    /** A host and the chunk servers (disks) it runs. */
    public record ServerSpec(String name, String host, List<ChunkServerSpec> chunkServers) {
    }

    /** One disk served by one chunk-service process. */
    public record ChunkServerSpec(int port, String disk, String capacity) {
    }

    /** A logical pool over a physical pool; sizes are strings such as 16MiB. */
    public record LogicalPoolSpec(String name, String physicalPool, LogicalPoolType type, Integer replicas,
                                  Integer copysets, String chunkSize, String segmentSize) {
    }
}
