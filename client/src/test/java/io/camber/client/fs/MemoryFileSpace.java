package io.camber.client.fs;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.ExtentMap;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.Inode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file's partition in memory, with the partition's rules: allocation fills holes in whole blocks from a bump
 * pointer, AddExtents raises the size, a truncate keeps the block holding the new end whole.
 */
final class MemoryFileSpace implements FileSpace {
    static final long INO = 200;
    private final ExtentMap map = new ExtentMap(List.of());
    private long size;
    private long nextFree = 1L << 40; // partition 1's slice
    final AtomicInteger allocations = new AtomicInteger();
    final AtomicInteger sizeUpdates = new AtomicInteger();

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
    public synchronized CompletableFuture<Inode> written(long ino, long minSize) {
        sizeUpdates.incrementAndGet();
        size = Math.max(size, minSize);
        return CompletableFuture.completedFuture(inode());
    }

    @Override
    public synchronized CompletableFuture<Inode> current(long ino) {
        return CompletableFuture.completedFuture(inode());
    }

    /** What SetAttr(size) does on the partition. */
    synchronized Inode truncate(long newSize) {
        map.truncate(DataLayout.blockCeil(newSize));
        size = newSize;
        return inode();
    }

    synchronized Inode inode() {
        return new Inode(INO, FileType.REGULAR.mode(0644), 0, 0, 1, size, 0, 0, 0, 0, 1, null, map.extents());
    }
}
