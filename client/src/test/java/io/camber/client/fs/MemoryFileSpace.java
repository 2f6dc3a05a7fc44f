package io.camber.client.fs;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.ExtentMap;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file's partition in memory, with the partition's rules: allocation fills holes in whole blocks from a bump
 * pointer, AddExtents raises the size, a truncate keeps the block holding the new end whole, small files without
 * extents keep their bytes inline until AddExtents moves them.
 */
final class MemoryFileSpace implements FileSpace {
    static final long INO = 200;
    private final ExtentMap map = new ExtentMap(List.of());
    private long size;
    private long nextFree = 1L << 40; // partition 1's slice
    final AtomicInteger allocations = new AtomicInteger();
    final AtomicInteger sizeUpdates = new AtomicInteger();
    final AtomicInteger inlineWrites = new AtomicInteger();
    private byte[] inline;

    @Override
    public synchronized CompletableFuture<List<Extent>> allocate(long ino, long offset, long length) {
        allocations.incrementAndGet();
        long from = DataLayout.blockFloor(offset);
        long to = DataLayout.blockCeil(offset + length);
        for (long[] hole : map.holes(from, to)) {
            map.addMerged(new Extent(hole[0], nextFree, hole[1] - hole[0]));
            nextFree += hole[1] - hole[0];
        }
        return CompletableFuture.completedFuture(map.overlapping(from, to));
    }

    @Override
    public synchronized CompletableFuture<Inode> written(long ino, long minSize, byte[] movedInline) {
        if ((inline != null && movedInline == null) || (movedInline != null && !Arrays.equals(inline, movedInline))) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EAGAIN, "inline bytes not moved"));
        }
        sizeUpdates.incrementAndGet();
        size = Math.max(size, minSize);
        inline = null;
        return CompletableFuture.completedFuture(inode());
    }

    @Override
    public synchronized CompletableFuture<Inode> writeInline(long ino, long offset, byte[] data) {
        if (!map.extents().isEmpty() || offset + data.length > DataLayout.INLINE_MAX) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EAGAIN, "not inline"));
        }
        inlineWrites.incrementAndGet();
        byte[] old = inline == null ? new byte[0] : inline;
        inline = Arrays.copyOf(old, (int) Math.max(old.length, offset + data.length));
        System.arraycopy(data, 0, inline, (int) offset, data.length);
        size = Math.max(size, offset + data.length);
        return CompletableFuture.completedFuture(inode());
    }

    /** Whether the file lost its last name; rounds that found it so and kept it from GC. */
    volatile boolean orphan;
    final AtomicInteger keptAlive = new AtomicInteger();

    @Override
    public CompletableFuture<Boolean> keepIfOrphan(long ino) {
        if (orphan) {
            keptAlive.incrementAndGet();
        }
        return CompletableFuture.completedFuture(orphan);
    }

    @Override
    public synchronized CompletableFuture<Inode> current(long ino) {
        return CompletableFuture.completedFuture(inode());
    }

    /** What SetAttr(size) does on the partition. */
    synchronized Inode truncate(long newSize) {
        map.truncate(DataLayout.blockCeil(newSize));
        size = newSize;
        if (inline != null && inline.length > newSize) {
            inline = Arrays.copyOf(inline, (int) newSize);
        }
        return inode();
    }

    synchronized Inode inode() {
        return new Inode(INO, FileType.REGULAR.mode(0644), 0, 0, 1, size, 0, 0, 0, 0, 1, null, map.extents(),
                inline);
    }
}
