package io.camber.common.api;

/**
 * What a chunk server tells the MDS about itself when it starts (or what a topology file declares).
 *
 * @param port     its Raft port, which also names it: host:port is a chunk server's address in the topology
 * @param dataPort where clients send chunk IO (the data protocol); 0 when not known yet
 * @param diskId   the identity written on its disk when the data directory was first used; null from a topology
 *                 file or an older chunk server. The MDS gives an existing chunk server's id only to its own disk:
 *                 a wiped or swapped disk joins as a new chunk server, so it can never vote in Raft groups with a
 *                 log it lost
 * @param knownId  the chunk-server id the disk says it belongs to, null on a fresh disk
 */
public record ChunkServerRegistration(String physicalPool, String zone, String server, String host, int port,
                                      String diskPath, long capacityBytes, int dataPort, String diskId, Long knownId) {

    /** A registration without disk identity (a topology file's declaration, an older chunk server). */
    public ChunkServerRegistration(String physicalPool, String zone, String server, String host, int port,
                                   String diskPath, long capacityBytes, int dataPort) {
        this(physicalPool, zone, server, host, port, diskPath, capacityBytes, dataPort, null, null);
    }
}
