package io.camber.mds.fs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * File-system settings of the MDS ({@code camber.mds.fs.*}).
 *
 * @param inodesPerPartition inode ids in the range of each new partition (CurveFS: about a million). A smaller
 *                           range makes partitions fill and new ones get added sooner (tests of that path); the
 *                           value travels in each create or add command, so changing it never changes existing
 *                           partitions or what a replayed command does
 */
@ConfigurationProperties("camber.mds.fs")
public record FsSettings(@DefaultValue("1048576") long inodesPerPartition) {

    /** The fewest ids a partition may get: below this it would fill on its first few creates. */
    public static final long MIN_INODES_PER_PARTITION = 16;

    public FsSettings {
        if (inodesPerPartition < MIN_INODES_PER_PARTITION) {
            throw new IllegalArgumentException("camber.mds.fs.inodes-per-partition=" + inodesPerPartition
                    + " is too small: give " + MIN_INODES_PER_PARTITION + " or more (default 1048576)");
        }
    }
}
