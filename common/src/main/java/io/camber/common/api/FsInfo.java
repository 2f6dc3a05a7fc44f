package io.camber.common.api;

import java.util.List;

/**
 * A file system as the MDS holds it: its data pool, data volume and metadata partitions.
 *
 * @param inodesUsed    inodes over all partitions as the meta-services last reported them; -1 while a partition has
 *                      not reported yet
 * @param dataVolume    the volume its file data lives on ({@code /.fs/<id>}, opened SHARED by its clients); null for
 *                      a file system created before data volumes existed
 * @param capacityBytes usable bytes of its logical pool (chunk servers' capacity over the replica count), shared with
 *                      every volume and file system of the pool; -1 when unknown
 * @param usedBytes     bytes its logical pool's chunk servers report used, over the replica count; -1 until every one
 *                      of them has reported
 */
public record FsInfo(long id, String name, String pool, long createdAtMillis, long inodesUsed,
                     List<PartitionInfo> partitions, String dataVolume, long capacityBytes, long usedBytes) {

    /** The same file system with other usage figures (soft state from heartbeats). */
    public FsInfo withUsage(long inodes, List<PartitionInfo> reported, long capacity, long used) {
        return new FsInfo(id, name, pool, createdAtMillis, inodes, reported, dataVolume, capacity, used);
    }
}
