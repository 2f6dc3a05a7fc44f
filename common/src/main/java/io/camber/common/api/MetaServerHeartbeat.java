package io.camber.common.api;

import java.util.List;

/** What a meta-service reports every few seconds: the partitions it hosts and how full they are. */
public record MetaServerHeartbeat(long metaServerId, List<PartitionReport> partitions) {

    /**
     * One hosted partition replica.
     *
     * @param initialized whether its inode range is set (InitPartition applied)
     * @param nextIno     the next inode id it hands out (the range is exhausted at its end)
     */
    public record PartitionReport(long fsId, int partitionId, boolean leader, long term, long appliedIndex,
                                  boolean initialized, long nextIno, long end, long inodesUsed) {
    }
}
