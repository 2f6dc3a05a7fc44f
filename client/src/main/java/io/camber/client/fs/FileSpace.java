package io.camber.client.fs;

import io.camber.meta.fs.Extent;
import io.camber.meta.fs.Inode;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where a file's space and size are recorded: its inode's partition (a fake in unit tests). */
interface FileSpace {

    /** Space for [offset, offset + length) of ino, widened to whole blocks: the extents covering that range. */
    CompletableFuture<List<Extent>> allocate(long ino, long offset, long length);

    /**
     * Records that bytes up to minSize were written to the extents: the size grows to at least that, mtime moves.
     * movedInline: the file's inline bytes, written to its extents too, which hold its data from now on (null when
     * the file was not inline); EAGAIN when they are no longer what the inode holds.
     */
    CompletableFuture<Inode> written(long ino, long minSize, byte[] movedInline);

    /** Writes bytes of a small file that holds no extents into its inode (EAGAIN when it cannot take them). */
    CompletableFuture<Inode> writeInline(long ino, long offset, byte[] data);

    /** The inode as recorded now (a refetch of size and extents). */
    CompletableFuture<Inode> current(long ino);

    /**
     * When ino's last name went (by this mount or another), dates its GC grace anew so that its data stays while
     * this mount has it open; answers whether it was an orphan. Fails with ENOENT when GC released it already.
     */
    CompletableFuture<Boolean> keepIfOrphan(long ino);
}
