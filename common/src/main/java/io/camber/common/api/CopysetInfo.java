package io.camber.common.api;

import java.util.List;

/**
 * A copyset: one Ratis group of chunk servers in distinct zones.
 *
 * @param chunkServers member chunk-server ids
 * @param addresses    their Raft addresses, host:port, in the same order
 * @param dataAddresses where clients send chunk IO to them (the data protocol), host:port, in the same order;
 *                      null for a chunk server that has not registered its data port yet
 * @param chunkSize    chunk size of the copyset's logical pool
 * @param epoch        how many times the MDS changed the members (0 as placed); of two descriptions of one copyset,
 *                     the one with the higher epoch is current
 */
public record CopysetInfo(long logicalPoolId, int copysetId, List<Long> chunkServers, List<String> addresses,
                          List<String> dataAddresses, long chunkSize, long epoch) {

    /** A copyset whose members never changed. */
    public CopysetInfo(long logicalPoolId, int copysetId, List<Long> chunkServers, List<String> addresses,
                       List<String> dataAddresses, long chunkSize) {
        this(logicalPoolId, copysetId, chunkServers, addresses, dataAddresses, chunkSize, 0);
    }
}
