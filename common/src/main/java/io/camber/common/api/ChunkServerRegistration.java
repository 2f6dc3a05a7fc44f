package io.camber.common.api;

/**
 * What a chunk server tells the MDS about itself when it starts (or what a topology file declares).
 *
 * @param port     its Raft port, which also names it: host:port is a chunk server's address in the topology
 * @param dataPort where clients send chunk IO (the data protocol); 0 when not known yet
 */
public record ChunkServerRegistration(String physicalPool, String zone, String server, String host, int port,
                                      String diskPath, long capacityBytes, int dataPort) {
}
