package io.camber.mds.fs;

import io.camber.common.CamberException;
import io.camber.mds.topology.placement.CopysetPlacer;
import io.camber.mds.topology.placement.PlacementSlot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Places metadata partitions on meta servers the way copysets are placed on chunk servers: three replicas in three
 * zones, partitions per meta server balanced, peers spread ({@link CopysetPlacer} does the choosing). Gives each new
 * partition the inode range after the file system's last one. Pure and deterministic.
 */
public final class PartitionPlacer {
    /** Replicas of every partition: a Raft group of three survives the loss of one zone. */
    public static final int REPLICAS = 3;
    /** Inode ids per partition: CurveFS hands out about a million per partition. */
    public static final long DEFAULT_INODES_PER_PARTITION = 1L << 20;
    /** Partitions a new file system starts with when the request does not say. */
    public static final int DEFAULT_PARTITIONS = 2;
    /** More than this up front is a typo: partitions are added as ranges fill. */
    public static final int MAX_INITIAL_PARTITIONS = 64;
    /** The root directory's inode id: the first partition's range starts here. */
    public static final long ROOT_INO = 1;

    private PartitionPlacer() {
    }

    /**
     * New partitions for a file system.
     *
     * @param fsId        the file system
     * @param existing    its partitions so far (the new ones continue its id and range sequence)
     * @param allMembers  member lists of every partition of every file system, for balance
     * @param metaServers the meta servers that may take replicas, with their zones
     * @param count       how many to add
     * @param inodes      inode ids per new partition
     */
    public static List<MetaPartition> place(long fsId, List<MetaPartition> existing, List<List<Long>> allMembers,
                                            List<PlacementSlot> metaServers, int count, long inodes) {
        if (count < 1 || count > MAX_INITIAL_PARTITIONS) {
            throw CamberException.invalid("partition count " + count + " is out of range: give 1 to "
                    + MAX_INITIAL_PARTITIONS + " (more are added as inode ranges fill)");
        }
        if (inodes < 1) {
            throw CamberException.invalid("inodes per partition must be positive, got " + inodes);
        }
        Set<Long> zones = new HashSet<>();
        metaServers.forEach(s -> zones.add(s.zoneId()));
        if (zones.size() < REPLICAS) {
            throw CamberException.invalid("file-system partitions need meta-services in " + REPLICAS
                    + " different zones, but " + metaServers.size() + " registered meta-service(s) span "
                    + zones.size() + " zone(s): start meta-services in " + (REPLICAS - zones.size())
                    + " more zone(s) (camber.meta.zone) and retry");
        }
        List<List<Long>> members = CopysetPlacer.place(metaServers, allMembers, count, REPLICAS).newCopysets();
        int nextId = existing.stream().mapToInt(MetaPartition::partitionId).max().orElse(-1) + 1;
        long start = existing.stream().mapToLong(MetaPartition::end).max().orElse(ROOT_INO);
        List<MetaPartition> placed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long end = Math.addExact(start, inodes);
            placed.add(new MetaPartition(fsId, nextId + i, start, end, members.get(i)));
            start = end;
        }
        return placed;
    }
}
