package io.camber.meta.partition;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The column families of a partition's RocksDB and how their keys are built. Ids are big-endian so that
 * RocksDB's byte order is numeric order, and a directory's entries sit together, sorted by name. Volume offsets
 * and lengths are never negative, so the same holds for the free-space families.
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

    /** Free runs of the partition's data-volume slice: start offset → length (below the bump pointer). */
    public static final String FREE_BY_START = "free_by_start";
    /** The same runs by end offset → start, so a released range finds the run it follows with one lookup. */
    public static final String FREE_BY_END = "free_by_end";
    /** The same runs by length + start → nothing, so the smallest run that fits is one seek (best fit). */
    public static final String FREE_BY_SIZE = "free_by_size";

    public static final List<String> FAMILIES = List.of(INODES, DENTRIES, XATTRS, DELETED, PARTITION, RENAMES,
            NAME_LOCKS, FREE_BY_START, FREE_BY_END, FREE_BY_SIZE);

    static final byte[] STATS_KEY = "stats".getBytes(StandardCharsets.US_ASCII);
    /** In {@link #PARTITION}: the data-volume slice and its bump pointer ({@link DataSlice}). */
    static final byte[] SLICE_KEY = "slice".getBytes(StandardCharsets.US_ASCII);

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

    public static byte[] twoLongs(long a, long b) {
        return ByteBuffer.allocate(16).putLong(a).putLong(b).array();
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
