package io.camber.common.api;

import java.util.List;

/**
 * A file system as the MDS holds it: its data pool and its metadata partitions.
 *
 * @param inodesUsed inodes over all partitions as the meta-services last reported them; -1 while a partition has not
 *                   reported yet
 */
public record FsInfo(long id, String name, String pool, long createdAtMillis, long inodesUsed,
                     List<PartitionInfo> partitions) {
}
