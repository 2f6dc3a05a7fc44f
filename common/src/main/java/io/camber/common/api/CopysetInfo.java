package io.camber.common.api;

import java.util.List;

/**
 * A copyset: one Ratis group of chunk servers in distinct zones.
 *
 * @param chunkServers member chunk-server ids
 * @param addresses    their data (Raft) addresses, host:port, in the same order
 * @param chunkSize    chunk size of the copyset's logical pool
 */
public record CopysetInfo(long logicalPoolId, int copysetId, List<Long> chunkServers, List<String> addresses,
                          long chunkSize) {
}
