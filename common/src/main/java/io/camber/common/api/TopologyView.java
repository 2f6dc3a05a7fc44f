package io.camber.common.api;

import java.util.List;

/** The whole topology as the MDS holds it. */
public record TopologyView(List<PhysicalPoolView> physicalPools, List<LogicalPoolInfo> logicalPools) {

    /** A physical pool with its zones. */
    public record PhysicalPoolView(long id, String name, List<ZoneView> zones) {
    }

    /** A zone with its servers. */
    public record ZoneView(long id, String name, List<ServerView> servers) {
    }

    /** A server with its chunk servers. */
    public record ServerView(long id, String name, String host, List<ChunkServerInfo> chunkServers) {
    }
}
