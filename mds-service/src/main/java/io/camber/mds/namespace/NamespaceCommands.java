package io.camber.mds.namespace;

import io.camber.mds.gc.GarbageTable;
import io.camber.common.ByteSizes;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.FsDataVolumes;
import io.camber.common.VolumePaths;
import io.camber.common.api.EntryType;
import io.camber.mds.raft.Keys;
import io.camber.mds.session.SessionTable;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.Topology.LogicalPool;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.util.List;

/** Applies namespace changes (mkdir, create, extend, rename, delete) to one RocksDB batch. */
public final class NamespaceCommands {
    /** Largest volume accepted; guards against a unit typo more than any real limit. */
    public static final long MAX_VOLUME_SIZE = 1024 * ByteSizes.TIB;
    /** Owner of what the MDS creates itself (file systems' data volumes and their directory). */
    public static final String SYSTEM_OWNER = "system";
    private static final byte[] NEXT_ID = Keys.text("ns.next-id");

    private final RocksStore store;
    private final RocksStore.Batch batch;
    private final NamespaceReader reader;

    public NamespaceCommands(RocksStore store, RocksStore.Batch batch) {
        this.store = store;
        this.batch = batch;
        this.reader = new NamespaceReader(store);
    }

    public Entry mkdir(String path, String owner, long now) {
        Parent p = freshParent(path);
        Entry dir = new Entry(nextId(), p.dir.id(), p.name, EntryType.DIRECTORY, checkOwner(owner), 0, 0, 0, 0, 0, now);
        put(dir);
        return dir;
    }

    public Entry create(String path, long size, String poolName, String owner, long now, Topology topology) {
        LogicalPool pool = topology.logicalPoolOrOnly(poolName);
        checkSize(size, pool.segmentSize());
        if (topology.copysetsOf(pool.id()).isEmpty()) {
            throw new CamberException(ErrorCode.CONFLICT, "logical pool '" + pool.name() + "' has no copysets yet:"
                    + " register chunk servers and apply the topology again");
        }
        Parent p = freshParent(path);
        Entry volume = new Entry(nextId(), p.dir.id(), p.name, EntryType.VOLUME, checkOwner(owner), size, pool.id(),
                pool.chunkSize(), pool.segmentSize(), 0, now);
        put(volume);
        byte[] countKey = poolVolumesKey(pool.id());
        batch.put(Keys.META, countKey, Keys.longValue(Keys.readLong(store.get(Keys.META, countKey), 0) + 1));
        return volume;
    }

    /**
     * Creates a file system's data volume at {@link FsDataVolumes#path}, thin and as large as a volume may be, with
     * the reserved directory when it is missing. Both ids are taken here, since the batch cannot be read back.
     */
    public Entry createDataVolume(long fsId, LogicalPool pool, long now, Topology topology) {
        if (topology.copysetsOf(pool.id()).isEmpty()) {
            throw new CamberException(ErrorCode.CONFLICT, "logical pool '" + pool.name() + "' has no copysets yet, so"
                    + " a file system's data has nowhere to go: register chunk servers and apply the topology again");
        }
        long id = Keys.readLong(store.get(Keys.META, NEXT_ID), Entry.ROOT_ID + 1);
        String dirName = FsDataVolumes.DIRECTORY.substring(1);
        Entry dir = reader.child(Entry.ROOT_ID, dirName).orElse(null);
        if (dir == null) {
            dir = new Entry(id++, Entry.ROOT_ID, dirName, EntryType.DIRECTORY, SYSTEM_OWNER, 0, 0, 0, 0, 0, now);
            put(dir);
        }
        String name = Long.toString(fsId);
        if (reader.child(dir.id(), name).isPresent()) {
            throw new CamberException(ErrorCode.ALREADY_EXISTS, FsDataVolumes.path(fsId) + " exists already");
        }
        long size = MAX_VOLUME_SIZE - MAX_VOLUME_SIZE % pool.segmentSize();
        Entry volume = new Entry(id++, dir.id(), name, EntryType.VOLUME, SYSTEM_OWNER, size, pool.id(),
                pool.chunkSize(), pool.segmentSize(), 0, now);
        put(volume);
        batch.put(Keys.META, NEXT_ID, Keys.longValue(id));
        byte[] countKey = poolVolumesKey(pool.id());
        batch.put(Keys.META, countKey, Keys.longValue(Keys.readLong(store.get(Keys.META, countKey), 0) + 1));
        return volume;
    }

    /** Whether an entry exists at the path. */
    public boolean exists(String path) {
        try {
            reader.resolve(path);
            return true;
        } catch (CamberException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the volume is a file system's data volume (in the reserved directory, right under the root). */
    public boolean isDataVolume(Entry volume) {
        return volume.isVolume() && reader.byId(volume.parentId())
                .filter(d -> d.parentId() == Entry.ROOT_ID && FsDataVolumes.DIRECTORY.equals("/" + d.name()))
                .isPresent();
    }

    public Entry extend(String path, long size) {
        Entry v = volume(path);
        if (size <= v.size()) {
            throw CamberException.invalid("volume " + path + " is " + ByteSizes.format(v.size())
                    + "; extend only grows a volume: give a size larger than that");
        }
        checkSize(size, v.segmentSize());
        Entry grown = v.withSize(size);
        batch.put(Keys.DENTRIES, Keys.idAndName(v.parentId(), v.name()), Json.write(grown));
        return grown;
    }

    public Entry rename(String from, String to, Long now, SessionTable sessions) {
        Entry source = reader.resolve(from);
        if (source.id() == Entry.ROOT_ID) {
            throw CamberException.invalid("the root directory cannot be renamed");
        }
        if (now != null && source.isVolume() && sessions.hasActiveWriter(source.id(), now)) {
            throw new CamberException(ErrorCode.VOLUME_BUSY, "volume " + from + " is open read-write; close it (or"
                    + " let its session expire) before renaming it");
        }
        Parent target = freshParent(to);
        for (Entry up = target.dir; up.id() != Entry.ROOT_ID; up = reader.byId(up.parentId()).orElseThrow()) {
            if (up.id() == source.id()) {
                throw CamberException.invalid("cannot move " + from + " into itself (" + to + ")");
            }
        }
        Entry moved = source.movedTo(target.dir.id(), target.name);
        batch.delete(Keys.DENTRIES, Keys.idAndName(source.parentId(), source.name()));
        put(moved);
        return moved;
    }

    public void delete(String path, long now, SessionTable sessions) {
        delete(path, now, sessions, null);
    }

    /** Deletes an entry; a volume's chunks are recorded in garbage (when given) to be freed on their copysets. */
    public void delete(String path, long now, SessionTable sessions, GarbageTable garbage) {
        Entry e = reader.resolve(path);
        if (e.id() == Entry.ROOT_ID) {
            throw CamberException.invalid("the root directory cannot be deleted");
        }
        if (e.isVolume()) {
            if (sessions.hasActiveWriter(e.id(), now)) {
                throw new CamberException(ErrorCode.VOLUME_BUSY, "volume " + path + " is open read-write;"
                        + " close it (or let its session expire) before deleting it");
            }
            sessions.dropAll(e.id());
            if (garbage != null) {
                garbage.collect(SegmentAllocator.list(store, e.id()), e.epoch());
            }
            SegmentAllocator.dropAll(store, batch, e.id());
            byte[] countKey = poolVolumesKey(e.poolId());
            batch.put(Keys.META, countKey, Keys.longValue(Math.max(0, Keys.readLong(store.get(Keys.META, countKey), 1) - 1)));
        } else if (reader.hasChildren(e.id())) {
            throw new CamberException(ErrorCode.CONFLICT, "directory " + path + " is not empty: delete what is in it first");
        }
        batch.delete(Keys.DENTRIES, Keys.idAndName(e.parentId(), e.name()));
        batch.delete(Keys.INODES, Keys.id(e.id()));
    }

    /** The volume with this id; NOT_FOUND once it was deleted (a volume re-created at its path has a new id). */
    public Entry volumeById(long id) {
        return reader.byId(id).filter(Entry::isVolume).orElseThrow(() -> volumeGone(id));
    }

    /** Refuses a writer whose epoch is older than the volume's: another writer opened it since. */
    public static void checkWriter(Entry volume, Long epoch) {
        if (epoch != null && volume.epoch() > epoch) {
            throw new CamberException(ErrorCode.FENCED, "volume " + volume.id() + " was opened read-write by another"
                    + " client (epoch " + volume.epoch() + ") after this writer (epoch " + epoch + "); reopen it to"
                    + " write");
        }
    }

    public static CamberException volumeGone(long id) {
        return CamberException.notFound("volume " + id + " no longer exists: it was deleted (a volume created since"
                + " at the same path is another volume); open it again by path");
    }

    /** The volume at path, refusing directories. */
    public Entry volume(String path) {
        Entry e = reader.resolve(path);
        if (!e.isVolume()) {
            throw CamberException.invalid(path + " is a directory, not a volume");
        }
        return e;
    }

    /** Writes an entry under its parent and records its id. */
    public void put(Entry e) {
        byte[] key = Keys.idAndName(e.parentId(), e.name());
        batch.put(Keys.DENTRIES, key, Json.write(e));
        batch.put(Keys.INODES, Keys.id(e.id()), key);
    }

    /** Whether any volume still allocates from the logical pool. */
    public static boolean poolInUse(RocksStore store, long poolId) {
        return volumesInPool(store, poolId) > 0;
    }

    /** How many volumes allocate from the logical pool. */
    public static long volumesInPool(RocksStore store, long poolId) {
        return Keys.readLong(store.get(Keys.META, poolVolumesKey(poolId)), 0);
    }

    private static byte[] poolVolumesKey(long poolId) {
        return Keys.text("ns.pool-volumes." + poolId);
    }

    private long nextId() {
        long id = Keys.readLong(store.get(Keys.META, NEXT_ID), Entry.ROOT_ID + 1);
        batch.put(Keys.META, NEXT_ID, Keys.longValue(id + 1));
        return id;
    }

    private record Parent(Entry dir, String name) {
    }

    /** The existing parent directory of path, refusing a path that already exists. */
    private Parent freshParent(String path) {
        List<String> names = VolumePaths.split(path);
        if (names.isEmpty()) {
            throw new CamberException(ErrorCode.ALREADY_EXISTS, "/ already exists");
        }
        String parentPath = VolumePaths.join(names.subList(0, names.size() - 1));
        Entry parent = reader.resolve(parentPath);
        if (parent.isVolume()) {
            throw CamberException.invalid(parentPath + " is a volume, not a directory");
        }
        String name = names.get(names.size() - 1);
        if (reader.child(parent.id(), name).isPresent()) {
            throw new CamberException(ErrorCode.ALREADY_EXISTS, VolumePaths.join(names) + " already exists");
        }
        return new Parent(parent, name);
    }


    private static void checkSize(long size, long segmentSize) {
        if (size <= 0 || size % segmentSize != 0) {
            throw CamberException.invalid("size " + size + " bytes is not a positive multiple of the segment size "
                    + ByteSizes.format(segmentSize) + ", e.g. 10GiB");
        }
        if (size > MAX_VOLUME_SIZE) {
            throw CamberException.invalid("size " + ByteSizes.format(size) + " is larger than the largest volume, "
                    + ByteSizes.format(MAX_VOLUME_SIZE));
        }
    }

    private static String checkOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            return "admin";
        }
        if (owner.length() > 64 || owner.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw CamberException.invalid("owner must be at most 64 printable characters");
        }
        return owner;
    }
}
