package io.camber.client.fs;

import io.camber.meta.protocol.PartitionStats;

import java.util.List;

/** statfs over a file system: the partitions' counters added up, against the data pool's capacity if known. */
final class FsUsageSum {
    private FsUsageSum() {
    }

    /**
     * @param capacityBytes usable bytes of the data pool, or a negative number when unknown (then the file system
     *                      reports as full as it is used, never more free space than it can vouch for)
     */
    static CamberFs.FsUsage of(List<PartitionStats> partitions, long capacityBytes) {
        long used = 0;
        long inodes = 0;
        long freeInodes = 0;
        for (PartitionStats s : partitions) {
            used += s.bytesUsed();
            inodes += s.inodesUsed();
            freeInodes += Math.max(0, s.inodesFree());
        }
        long total = Math.max(used, capacityBytes);
        return new CamberFs.FsUsage(total, used, total - used, inodes + freeInodes, freeInodes);
    }
}
