package io.camber.client.fs;

import io.camber.common.api.PartitionInfo;

import java.util.Comparator;
import java.util.List;

/**
 * A file system's partitions as the MDS last described them, ordered by inode range: which partition holds an
 * inode (the one whose range contains its id), and which one new inodes go to once a directory's own is full.
 */
record PartitionMap(List<PartitionInfo> partitions) {

    PartitionMap {
        partitions = partitions.stream().sorted(Comparator.comparingLong(PartitionInfo::start)).toList();
    }

    /** The partition whose range holds ino, or null when no known range does (a partition added since). */
    PartitionInfo holding(long ino) {
        int low = 0;
        int high = partitions.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            PartitionInfo p = partitions.get(mid);
            if (ino < p.start()) {
                high = mid - 1;
            } else if (ino >= p.end()) {
                low = mid + 1;
            } else {
                return p;
            }
        }
        return null;
    }

    /** The partition with this id, or null. */
    PartitionInfo byId(int partitionId) {
        return partitions.stream().filter(p -> p.partitionId() == partitionId).findFirst().orElse(null);
    }

    /** The most recently added partition (highest id): the one with the most free ids, where creates spill over. */
    PartitionInfo newest() {
        return partitions.stream().max(Comparator.comparingInt(PartitionInfo::partitionId)).orElseThrow();
    }

    /** Whether a partition newer than partitionId exists (the MDS added one after it filled). */
    boolean hasNewerThan(int partitionId) {
        return partitions.stream().anyMatch(p -> p.partitionId() > partitionId);
    }
}
