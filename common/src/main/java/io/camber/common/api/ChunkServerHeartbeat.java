package io.camber.common.api;

import java.util.List;

/** What a chunk server reports every few seconds: its copysets, which it leads, its disk and IO counters. */
public record ChunkServerHeartbeat(long chunkServerId, List<CopysetReport> copysets, long diskUsedBytes,
                                   long diskFreeBytes, long bytesWritten, long writes, long reads) {

    /** One hosted copyset: whether this replica leads it, its Raft term and applied index. */
    public record CopysetReport(long logicalPoolId, int copysetId, boolean leader, long term, long appliedIndex) {
    }
}
