package io.camber.meta.fs;

/**
 * Where file data goes: every file system has one thin data volume (created by the MDS with the file system, at
 * {@code /.fs/<fs id>}, {@link #VOLUME_BYTES} long), and each metadata partition allocates its files' space from
 * its own slice of it, {@link #SLICE_BYTES} per partition id, in {@link #BLOCK}-byte blocks. Slices being fixed by
 * partition id lets partitions allocate without talking to each other or to the MDS; the volume being thin makes
 * the unused rest of a slice cost nothing.
 */
public final class DataLayout {
    /** Allocation unit and alignment of every extent: the chunk service's page, so files never share a page. */
    public static final long BLOCK = 4096;
    /** Size of the data volume: the largest volume the MDS creates (1 PiB). */
    public static final long VOLUME_BYTES = 1L << 50;
    /** Space of one partition (1 TiB): also the most data one partition's files can hold. */
    public static final long SLICE_BYTES = 1L << 40;
    /** Partitions that get a slice: partition ids at or above this cannot allocate (ENOSPC). */
    public static final int PARTITIONS_WITH_SPACE = (int) (VOLUME_BYTES / SLICE_BYTES);
    /** Most bytes one AllocateExtents may ask for, so a command and its reply stay small even when space is fragmented. */
    public static final long MAX_ALLOCATION = 64L << 20;
    /**
     * Largest file kept in its inode (WriteInline) rather than in extents: two 4 KiB blocks, so files of a few KiB
     * (source trees, documentation, mdtest's 4 KiB files) cost one metadata commit to write and none to read.
     */
    public static final int INLINE_MAX = 8192;

    private DataLayout() {
    }

    /** The namespace path of a file system's data volume in the MDS. */
    public static String dataVolumePath(long fsId) {
        return io.camber.common.FsDataVolumes.path(fsId);
    }

    /** First volume offset of the partition's slice. */
    public static long sliceStart(int partitionId) {
        return partitionId * SLICE_BYTES;
    }

    /** The offset rounded down to a block. */
    public static long blockFloor(long offset) {
        return offset - offset % BLOCK;
    }

    /** The offset rounded up to a block. */
    public static long blockCeil(long offset) {
        return blockFloor(offset + BLOCK - 1);
    }
}
