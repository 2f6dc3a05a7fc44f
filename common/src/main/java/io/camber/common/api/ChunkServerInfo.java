package io.camber.common.api;

/** A chunk server: one chunk-service process owning one disk. */
public record ChunkServerInfo(long id, String physicalPool, String zone, String server, String host, int port,
                              int dataPort, String diskPath, long capacityBytes, ChunkServerState state,
                              int copysets) {
}
