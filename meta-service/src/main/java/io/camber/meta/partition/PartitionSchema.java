package io.camber.meta.partition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The column families of a partition's RocksDB and how their keys are built. Ids are big-endian so that
 * RocksDB's byte order is numeric order, and a directory's entries sit together, sorted by name.
 */
public final class PartitionSchema {
    /** inode id → {@link io.camber.meta.fs.Inode}. */
    public static final String INODES = "inodes";
    /** parent id + name → child id + type. */
    public static final String DENTRIES = "dentries";
    /** inode id + name → value. */
    public static final String XATTRS = "xattrs";
    /** inode id → orphan since (its last name went); inode id + raft index → extents cut from it. For GC. */
    public static final String DELETED = "deleted";
    /** "stats" → {@link io.camber.meta.protocol.PartitionStats}: range, next free id, counters. */
    public static final String PARTITION = "partition";
    /** txid → {@link io.camber.meta.protocol.RenameIntent} of a cross-partition rename. */
    public static final String RENAMES = "renames";
    /** dentry key → txid of the rename holding that name; dir id + empty name: the dir is being replaced. */
    public static final String NAME_LOCKS = "name_locks";

    public static final List<String> FAMILIES = List.of(INODES, DENTRIES, XATTRS, DELETED, PARTITION, RENAMES,
            NAME_LOCKS);

    static final byte[] STATS_KEY = "stats".getBytes(StandardCharsets.US_ASCII);

    private PartitionSchema() {
    }

    public static byte[] id(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    public static byte[] idAndName(long id, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + n.length).putLong(id).put(n).array();
    }

    public static byte[] idAndIndex(long id, long index) {
        return ByteBuffer.allocate(16).putLong(id).putLong(index).array();
    }

    public static long idOf(byte[] key) {
        return ByteBuffer.wrap(key, 0, 8).getLong();
    }

    public static long indexOf(byte[] key) {
        return ByteBuffer.wrap(key, 8, 8).getLong();
    }

    public static String nameOf(byte[] key) {
        return new String(Arrays.copyOfRange(key, 8, key.length), StandardCharsets.UTF_8);
    }

    static byte[] dentryValue(long ino, int typeOrdinal) {
        return ByteBuffer.allocate(9).putLong(ino).put((byte) typeOrdinal).array();
    }
}
