package io.camber.meta.partition;

import io.camber.meta.fs.Dentry;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.RecordCodec;
import io.camber.meta.protocol.RenameIntent;
import io.camber.server.rocks.RocksStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A partition's records as one command sees them: the committed store overlaid with the writes the command has
 * made so far, so a command that touches the same inode twice (a rename within one directory) reads its own
 * writes. Writes go to the command's batch; without a batch the view is read-only (queries).
 */
final class PartitionView {
    private static final byte[] DELETED_MARK = new byte[0];

    private final RocksStore store;
    private final RocksStore.Batch batch;
    private final Map<String, Map<ByteBuffer, byte[]>> pending = new HashMap<>();

    PartitionView(RocksStore store, RocksStore.Batch batch) {
        this.store = store;
        this.batch = batch;
    }

    RocksStore store() {
        return store;
    }

    byte[] get(String family, byte[] key) {
        byte[] written = pending.getOrDefault(family, Map.of()).get(ByteBuffer.wrap(key));
        if (written != null) {
            return written == DELETED_MARK ? null : written;
        }
        return store.get(family, key);
    }

    void put(String family, byte[] key, byte[] value) {
        batch.put(family, key, value);
        pending.computeIfAbsent(family, f -> new HashMap<>()).put(ByteBuffer.wrap(key), value);
    }

    void delete(String family, byte[] key) {
        batch.delete(family, key);
        pending.computeIfAbsent(family, f -> new HashMap<>()).put(ByteBuffer.wrap(key), DELETED_MARK);
    }

    /** The partition's range and counters; refuses every operation before the partition is initialized. */
    PartitionStats stats() {
        byte[] v = get(PartitionSchema.PARTITION, PartitionSchema.STATS_KEY);
        if (v == null) {
            throw FsException.of(FsError.EINVAL, "this partition has no inode range yet: send InitPartition first");
        }
        return RecordCodec.decode(v, PartitionStats.class);
    }

    boolean initialized() {
        return get(PartitionSchema.PARTITION, PartitionSchema.STATS_KEY) != null;
    }

    void putStats(PartitionStats stats) {
        put(PartitionSchema.PARTITION, PartitionSchema.STATS_KEY, RecordCodec.encode(stats));
    }

    /** Whether the inode id falls in this partition's range. */
    boolean owns(long ino) {
        PartitionStats s = stats();
        return ino >= s.start() && ino < s.end();
    }

    Inode inode(long ino) {
        byte[] v = get(PartitionSchema.INODES, PartitionSchema.id(ino));
        return v == null ? null : RecordCodec.decode(v, Inode.class);
    }

    /** The inode, refused with EINVAL when another partition owns its id and ENOENT when it does not exist. */
    Inode requireInode(long ino) {
        if (!owns(ino)) {
            PartitionStats s = stats();
            throw FsException.of(FsError.EINVAL, "inode " + ino + " is not in this partition's range [" + s.start()
                    + ", " + s.end() + "): send the request to the partition that owns it");
        }
        Inode inode = inode(ino);
        if (inode == null) {
            throw FsException.of(FsError.ENOENT, "inode " + ino + " does not exist");
        }
        return inode;
    }

    /** A directory of this partition that can still hold entries (not removed). */
    Inode requireDirectory(long ino) {
        Inode dir = requireInode(ino);
        if (!dir.isDirectory()) {
            throw FsException.of(FsError.ENOTDIR, "inode " + ino + " is not a directory");
        }
        if (dir.nlink() == 0) {
            throw FsException.of(FsError.ENOENT, "directory " + ino + " was removed");
        }
        return dir;
    }

    void putInode(Inode inode) {
        put(PartitionSchema.INODES, PartitionSchema.id(inode.ino()), RecordCodec.encode(inode));
    }

    void deleteInode(long ino) {
        delete(PartitionSchema.INODES, PartitionSchema.id(ino));
        store.scan(PartitionSchema.XATTRS, PartitionSchema.id(ino), Integer.MAX_VALUE,
                (k, v) -> delete(PartitionSchema.XATTRS, k));
    }

    Dentry dentry(long parent, String name) {
        byte[] v = get(PartitionSchema.DENTRIES, PartitionSchema.idAndName(parent, name));
        return v == null ? null : decodeDentry(parent, name, v);
    }

    static Dentry decodeDentry(long parent, String name, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        return new Dentry(parent, name, b.getLong(), FileType.values()[b.get()]);
    }

    void putDentry(Dentry d) {
        put(PartitionSchema.DENTRIES, PartitionSchema.idAndName(d.parent(), d.name()),
                PartitionSchema.dentryValue(d.ino(), d.type().ordinal()));
    }

    void deleteDentry(long parent, String name) {
        delete(PartitionSchema.DENTRIES, PartitionSchema.idAndName(parent, name));
    }

    /** Whether the directory has any entry (committed ones: no command empties and checks a directory at once). */
    boolean hasEntries(long dir) {
        boolean[] any = {false};
        store.scan(PartitionSchema.DENTRIES, PartitionSchema.id(dir), 1, (k, v) -> any[0] = true);
        return any[0];
    }

    /** The txid of the rename holding (parent, name), or null. */
    String lockOf(long parent, String name) {
        byte[] v = get(PartitionSchema.NAME_LOCKS, PartitionSchema.idAndName(parent, name));
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** Refuses to change a name a cross-partition rename holds until it is resolved. */
    void checkUnlocked(long parent, String name) {
        String txid = lockOf(parent, name);
        if (txid != null) {
            throw FsException.of(FsError.EBUSY, "'" + name + "' in directory " + parent + " is held by rename " + txid
                    + ": retry after it finishes, or resolve it with its primary partition");
        }
    }

    /**
     * Whether a rename holds a name inside the directory (its own "being replaced" lock, which the view checks with
     * {@link #lockOf}, aside): a directory that is to receive a name must not be removed meanwhile.
     */
    boolean holdsNamesInside(long dir) {
        boolean[] any = {false};
        store.scan(PartitionSchema.NAME_LOCKS, PartitionSchema.id(dir), Integer.MAX_VALUE, (k, v) -> {
            if (k.length > 8) {
                any[0] = true;
            }
        });
        return any[0];
    }

    void lock(long parent, String name, String txid) {
        put(PartitionSchema.NAME_LOCKS, PartitionSchema.idAndName(parent, name), txid.getBytes(StandardCharsets.UTF_8));
    }

    void unlock(long parent, String name) {
        delete(PartitionSchema.NAME_LOCKS, PartitionSchema.idAndName(parent, name));
    }

    RenameIntent intent(String txid) {
        byte[] v = get(PartitionSchema.RENAMES, txid.getBytes(StandardCharsets.UTF_8));
        return v == null ? null : RecordCodec.decode(v, RenameIntent.class);
    }

    void putIntent(RenameIntent intent) {
        put(PartitionSchema.RENAMES, intent.txid().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(intent));
    }

    void deleteIntent(String txid) {
        delete(PartitionSchema.RENAMES, txid.getBytes(StandardCharsets.UTF_8));
    }
}
