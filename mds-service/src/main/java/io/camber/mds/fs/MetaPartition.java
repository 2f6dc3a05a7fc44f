package io.camber.mds.fs;

import java.util.List;

/**
 * One metadata partition of a file system: the inode ids {@code [start, end)} and the meta servers (ids) whose
 * Raft group keeps them. The partition whose range starts at 1 holds the root directory.
 */
public record MetaPartition(long fsId, int partitionId, long start, long end, List<Long> members) {
    public MetaPartition {
        members = List.copyOf(members);
    }
}
