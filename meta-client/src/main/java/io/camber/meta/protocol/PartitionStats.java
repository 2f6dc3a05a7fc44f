package io.camber.meta.protocol;

/**
 * A partition's identity, inode-id range and counters (statfs adds these up over a file system's partitions).
 *
 * @param nextIno    the next inode id handed out; ids are never reused, so the range is exhausted at end
 * @param inodesUsed inodes that exist here, orphans waiting for GC included
 * @param bytesUsed  bytes of this partition's slice of the data volume allocated (whole 4 KiB blocks), space
 *                   waiting for GC included; statfs adds these up
 */
public record PartitionStats(long fsId, int partitionId, long start, long end, long nextIno, long inodesUsed,
                             long bytesUsed) {

    /** Inode ids still free in the range. */
    public long inodesFree() {
        return end - nextIno;
    }
}
