package io.camber.common.api;

/**
 * A chunk server: one chunk-service process owning one disk.
 *
 * @param copysets the copysets the MDS lists it as a member of
 * @param draining an operator asked for its replicas to move away (camber chunkserver drain); null from MDS versions
 *                 before draining
 * @param replicas the copyset replicas it hosted when it last reported (old ones it was replaced in included, until
 *                 their leaders run without it and it deleted them); null when unknown. A drained chunk server may be
 *                 stopped once this is 0.
 */
public record ChunkServerInfo(long id, String physicalPool, String zone, String server, String host, int port,
                              int dataPort, String diskPath, long capacityBytes, ChunkServerState state,
                              int copysets, Boolean draining, Integer replicas) {

    /** A chunk server that is not draining, its hosted replicas unknown. */
    public ChunkServerInfo(long id, String physicalPool, String zone, String server, String host, int port,
                           int dataPort, String diskPath, long capacityBytes, ChunkServerState state, int copysets) {
        this(id, physicalPool, zone, server, host, port, dataPort, diskPath, capacityBytes, state, copysets, false,
                null);
    }
}
