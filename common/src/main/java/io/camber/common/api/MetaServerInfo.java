package io.camber.common.api;

/** A meta-service process as the MDS knows it, with its liveness from heartbeats and the partitions it hosts. */
public record MetaServerInfo(long id, String physicalPool, String zone, String server, String host, int raftPort,
                             int httpPort, String peerId, ChunkServerState state, int partitions) {
}
