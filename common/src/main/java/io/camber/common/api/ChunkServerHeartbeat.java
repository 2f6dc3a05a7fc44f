package io.camber.common.api;

import java.util.List;

/**
 * What a chunk server reports every few seconds: its copysets, which it leads, its disk and IO counters, and the bad
 * pages its reads and scrub found on the copysets it leads (found since start, and not repaired yet).
 */
public record ChunkServerHeartbeat(long chunkServerId, List<CopysetReport> copysets, long diskUsedBytes,
                                   long diskFreeBytes, long bytesWritten, long writes, long reads,
                                   long corruptPagesFound, int corruptPagesUnrepaired) {

    /** A heartbeat from a chunk server that found no bad pages (or predates the scrub). */
    public ChunkServerHeartbeat(long chunkServerId, List<CopysetReport> copysets, long diskUsedBytes,
                                long diskFreeBytes, long bytesWritten, long writes, long reads) {
        this(chunkServerId, copysets, diskUsedBytes, diskFreeBytes, bytesWritten, writes, reads, 0, 0);
    }

    /**
     * One hosted copyset: whether this replica leads it, its Raft term and applied index, and the members of its
     * Raft configuration as this replica knows it (chunk-server ids; null from versions that did not report them).
     * stableConf is false while a membership change is under way (Raft's joint configuration).
     */
    public record CopysetReport(long logicalPoolId, int copysetId, boolean leader, long term, long appliedIndex,
                                List<Long> peers, boolean stableConf) {

        public CopysetReport(long logicalPoolId, int copysetId, boolean leader, long term, long appliedIndex) {
            this(logicalPoolId, copysetId, leader, term, appliedIndex, null, true);
        }
    }
}
