package io.camber.common.api;

/**
 * What a meta-service tells the MDS about itself when it starts.
 *
 * @param raftPort its Raft port, which also names it (host:raftPort); clients send metadata operations there
 * @param httpPort its HTTP port (health, metrics)
 * @param peerId   its Raft peer id in every partition group it hosts; unique in the cluster
 */
public record MetaServerRegistration(String physicalPool, String zone, String server, String host, int raftPort,
                                     int httpPort, String peerId) {
}
