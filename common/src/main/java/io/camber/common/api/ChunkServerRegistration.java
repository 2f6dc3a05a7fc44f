package io.camber.common.api;

/** What a chunk server tells the MDS about itself when it starts (or what a topology file declares). */
public record ChunkServerRegistration(String physicalPool, String zone, String server, String host, int port,
                                      String diskPath, long capacityBytes) {
}
