package io.camber.mds.fs;

import io.camber.mds.raft.Keys;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads file systems and their partitions from RocksDB: one key per file system ({@code filesystems}, by id) and
 * one per partition ({@code partitions}, fs id + partition id, so a file system's partitions are one ordered scan).
 * File systems are few (tens), so a lookup by name scans them.
 */
public final class FsStore {
    static final byte[] NEXT_FS_ID = Keys.text("fs.next-id");

    private final RocksStore store;

    public FsStore(RocksStore store) {
        this.store = store;
    }

    /** Every file system, in id order. */
    public List<FileSystem> all() {
        List<FileSystem> out = new ArrayList<>();
        store.scan(Keys.FILESYSTEMS, new byte[0], Integer.MAX_VALUE, (k, v) -> out.add(Json.read(v, FileSystem.class)));
        return out;
    }

    public Optional<FileSystem> byName(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The partitions of one file system, in partition-id order. */
    public List<MetaPartition> partitions(long fsId) {
        List<MetaPartition> out = new ArrayList<>();
        store.scan(Keys.PARTITIONS, Keys.id(fsId), Integer.MAX_VALUE,
                (k, v) -> out.add(Json.read(v, MetaPartition.class)));
        return out;
    }

    /** Every partition of every file system. */
    public List<MetaPartition> allPartitions() {
        List<MetaPartition> out = new ArrayList<>();
        store.scan(Keys.PARTITIONS, new byte[0], Integer.MAX_VALUE,
                (k, v) -> out.add(Json.read(v, MetaPartition.class)));
        return out;
    }

    /** Whether a file system keeps its data in the logical pool (so the pool must not be removed). */
    public static boolean poolInUse(RocksStore store, long poolId) {
        return new FsStore(store).all().stream().anyMatch(f -> f.logicalPoolId() == poolId);
    }

    long nextId() {
        return Keys.readLong(store.get(Keys.META, NEXT_FS_ID), 1);
    }

    static void put(RocksStore.Batch batch, FileSystem fs) {
        batch.put(Keys.FILESYSTEMS, Keys.id(fs.id()), Json.write(fs));
    }

    static void put(RocksStore.Batch batch, MetaPartition p) {
        batch.put(Keys.PARTITIONS, Keys.ids(p.fsId(), p.partitionId()), Json.write(p));
    }

    static void delete(RocksStore.Batch batch, FileSystem fs, List<MetaPartition> partitions) {
        batch.delete(Keys.FILESYSTEMS, Keys.id(fs.id()));
        partitions.forEach(p -> batch.delete(Keys.PARTITIONS, Keys.ids(p.fsId(), p.partitionId())));
    }
}
