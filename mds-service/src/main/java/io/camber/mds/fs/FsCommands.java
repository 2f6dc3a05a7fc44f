package io.camber.mds.fs;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.mds.raft.Keys;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.Topology.LogicalPool;
import io.camber.mds.topology.placement.PlacementSlot;
import io.camber.server.rocks.RocksStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Changes to file systems, applied on every MDS replica: create (with its first partitions placed), delete, and
 * add a partition when a range fills. Refusals are exceptions with a code; the state machine turns them into the
 * same reply on every replica.
 */
public final class FsCommands {
    private static final Logger LOG = LoggerFactory.getLogger(FsCommands.class);

    private final RocksStore.Batch batch;
    private final FsStore fs;
    private final DataVolumes volumes;

    /** volumes null: replaying entries logged before file systems had data volumes, which made none. */
    public FsCommands(RocksStore store, RocksStore.Batch batch, DataVolumes volumes) {
        this.batch = batch;
        this.fs = new FsStore(store);
        this.volumes = volumes;
    }

    /** A file system with its partitions, as the batch leaves them (the batch cannot be read back before commit). */
    public record Result(FileSystem fs, List<MetaPartition> partitions) {
    }

    /**
     * Creates a file system on a logical pool with its first partitions placed on meta servers.
     *
     * @param offline meta servers that get no replica (silent for long); null for none
     */
    public Result create(String name, String poolName, int partitions, long inodesPerPartition, long nowMillis,
                         Topology topology, List<Long> offline) {
        FsNames.check(name);
        if (fs.byName(name).isPresent()) {
            throw new CamberException(ErrorCode.ALREADY_EXISTS, "file system '" + name + "' already exists;"
                    + " pick another name or remove it first (camber fs rm " + name + ")");
        }
        LogicalPool pool = topology.logicalPoolOrOnly(poolName);
        long id = fs.nextId();
        String dataVolume = volumes == null ? null : volumes.create(id, pool, nowMillis);
        FileSystem created = new FileSystem(id, name, pool.id(), nowMillis, dataVolume);
        List<MetaPartition> placed = PartitionPlacer.place(id, List.of(), members(), slots(topology, offline),
                partitions, inodesPerPartition);
        batch.put(Keys.META, FsStore.NEXT_FS_ID, Keys.longValue(id + 1));
        FsStore.put(batch, created);
        placed.forEach(p -> FsStore.put(batch, p));
        LOG.info("event=fs_created fs={} id={} pool={} partitions={} data_volume={}", name, id, pool.name(),
                placed.size(), dataVolume);
        return new Result(created, placed);
    }

    /**
     * Deletes a file system, forgets its partitions and deletes its data volume (whose chunks the volume GC then
     * frees). Without force it is refused while clients have it mounted (refuseMounted), while the file system holds
     * anything but its root directory, and while that is not known. With force, its clients' sessions go with it.
     *
     * @param inodesUsed inodes over all its partitions as the proposer last heard from the meta-services; null when
     *                   some partition has not reported
     */
    public FileSystem delete(String name, boolean force, Long inodesUsed) {
        return delete(name, force, inodesUsed, false);
    }

    public FileSystem delete(String name, boolean force, Long inodesUsed, boolean refuseMounted) {
        FileSystem target = get(name);
        if (refuseMounted && !force && target.dataVolume() != null && volumes != null) {
            checkUnmounted(target, volumes.clients(target.dataVolume()));
        }
        checkDeletable(target, inodesUsed, force);
        List<MetaPartition> partitions = fs.partitions(target.id());
        FsStore.delete(batch, target, partitions);
        if (target.dataVolume() != null && volumes != null) {
            volumes.delete(target.dataVolume());
        }
        LOG.info("event=fs_deleted fs={} id={} partitions={} force={} inodes={}", name, target.id(), partitions.size(),
                force, inodesUsed);
        return target;
    }

    /** A mounted file system goes only with force: its clients would lose every write from then on. */
    static void checkUnmounted(FileSystem target, List<String> clients) {
        if (!clients.isEmpty()) {
            throw new CamberException(ErrorCode.CONFLICT, "file system '" + target.name() + "' is mounted by "
                    + clients.size() + (clients.size() == 1 ? " client " : " clients ") + clients + ": unmount it"
                    + " (camber fs umount DIR) and retry; a client that died holds it until its session lease runs"
                    + " out; or delete it with force (camber fs rm --force)");
        }
    }

    /**
     * The delete rule: an empty file system (its root directory alone) may go; one with files or one whose usage is
     * unknown only with force.
     */
    public static void checkDeletable(FileSystem target, Long inodesUsed, boolean force) {
        if (force) {
            return;
        }
        if (inodesUsed == null) {
            throw new CamberException(ErrorCode.UNAVAILABLE, "file system '" + target.name() + "': not every"
                    + " partition has reported its usage yet, so it may hold files; retry in a few seconds, or"
                    + " delete it with force (camber fs rm --force) to drop whatever it holds");
        }
        if (inodesUsed > 1) {
            throw new CamberException(ErrorCode.DATA_LOSS_REFUSED, "file system '" + target.name() + "' is not empty ("
                    + (inodesUsed - 1) + " files and directories besides the root): remove them first, or delete it"
                    + " with force (camber fs rm --force) to drop them");
        }
    }

    /**
     * Adds a partition after a client found partition {@code full}'s inode range exhausted. Idempotent per full
     * partition: when a partition newer than it exists already (another client asked first), nothing is added.
     */
    public Result addPartition(String name, int full, long inodesPerPartition, Topology topology,
                               List<Long> offline) {
        FileSystem target = get(name);
        List<MetaPartition> partitions = fs.partitions(target.id());
        if (partitions.stream().noneMatch(p -> p.partitionId() == full)) {
            throw CamberException.notFound("file system '" + name + "' has no partition " + full
                    + "; see camber fs info " + name);
        }
        if (partitions.stream().anyMatch(p -> p.partitionId() > full)) {
            return new Result(target, partitions);
        }
        MetaPartition added = PartitionPlacer.place(target.id(), partitions, members(), slots(topology, offline), 1,
                inodesPerPartition).get(0);
        FsStore.put(batch, added);
        LOG.info("event=fs_partition_added fs={} partition={} start={} end={} members={}", name, added.partitionId(),
                added.start(), added.end(), added.members());
        List<MetaPartition> all = new java.util.ArrayList<>(partitions);
        all.add(added);
        return new Result(target, all);
    }

    public FileSystem get(String name) {
        FsNames.check(name);
        return fs.byName(name).orElseThrow(() -> CamberException.notFound("file system '" + name
                + "' does not exist; see camber fs ls"));
    }

    private List<List<Long>> members() {
        return fs.allPartitions().stream().map(MetaPartition::members).toList();
    }

    /** Every registered meta server but those the proposer saw offline: a replica there would start degraded. */
    private static List<PlacementSlot> slots(Topology topology, List<Long> offline) {
        return topology.metaServers().stream().filter(m -> offline == null || !offline.contains(m.id()))
                .map(m -> new PlacementSlot(m.id(), topology.zoneOf(m))).toList();
    }

}
