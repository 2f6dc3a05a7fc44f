package io.camber.chunk.store;

import io.camber.common.NoSpaceException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a chunk server's disk has room for a write before the write enters a Raft log, and whether
 * the pool may format another file. Below the reserve no write is accepted at all: that space is kept for
 * the Raft logs of entries already accepted, for snapshot meta files, and for the small deletes and fences
 * that let an operator free space. A write that needs a new chunk also needs a pool file, or room to format
 * one on top of the reserve.
 */
public final class SpaceGuard {
    private static final Logger log = LoggerFactory.getLogger(SpaceGuard.class);

    private final DiskSpace disk;
    private final ChunkFilePool pool;
    private final Path dir;
    private final long reserve;
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean refusing;

    /** A guard of {@code pool}'s disk that keeps {@code reserveBytes} free for the Raft logs. */
    public SpaceGuard(DiskSpace disk, ChunkFilePool pool, long reserveBytes) {
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("reserved space is " + reserveBytes + " bytes: use 0 or more");
        }
        this.disk = disk;
        this.pool = pool;
        this.dir = pool.dir().toAbsolutePath().getParent();
        this.reserve = reserveBytes;
    }

    /**
     * Why a write creating {@code newChunks} chunks must be refused now, or null if the disk has room for it.
     * Deletes and fences are never refused: they are how space comes back.
     */
    public NoSpaceException refuseWrite(int newChunks) {
        long usable = usableOrUnknown();
        String why = null;
        if (usable < reserve) {
            why = "chunk server disk " + dir + " has " + usable + " bytes free, below the "
                    + reserve + " bytes kept for the Raft logs";
        } else if (newChunks > 0) {
            long missing = Math.max(0, newChunks - pool.available());
            long needed = reserve + missing * pool.layout().fileSize();
            if (missing > 0 && usable < needed) {
                why = "chunk server disk " + dir + " has no preallocated chunk file left and "
                        + usable + " bytes free, below the " + needed + " a new chunk needs (chunk file plus the "
                        + reserve + " bytes kept for the Raft logs)";
            }
        }
        if (why == null) {
            if (refusing) {
                refusing = false;
                log.info("event=disk_space_recovered dir={} usable={}", dir, usable);
            }
            return null;
        }
        refused.incrementAndGet();
        if (!refusing) {
            refusing = true;
            log.warn("event=disk_full_writes_refused dir={} usable={} reserve={} pool={}", dir,
                    usable, reserve, pool.available());
        }
        return new NoSpaceException(why + ": free space on that disk (remove other files or grow the file system)"
                + " and retry; writes resume by themselves");
    }

    /** Whether the pool may format one more file without eating into the reserve. */
    public boolean roomForPoolFile() {
        try {
            return disk.usableBytes() >= reserve + pool.layout().fileSize();
        } catch (UncheckedIOException e) {
            log.warn("event=disk_space_unknown dir={} error={}", dir, e.toString());
            return false;
        }
    }

    /** Bytes free on the disk right now. */
    public long usableBytes() {
        return disk.usableBytes();
    }

    /** Bytes kept free for the Raft logs. */
    public long reserveBytes() {
        return reserve;
    }

    /** Writes refused for lack of space since start. */
    public long refused() {
        return refused.get();
    }

    private long usableOrUnknown() {
        try {
            return disk.usableBytes();
        } catch (UncheckedIOException e) {
            // Never refuse writes because the probe failed: a real lack of space still stalls, never corrupts.
            log.warn("event=disk_space_unknown dir={} error={}", dir, e.toString());
            return Long.MAX_VALUE;
        }
    }
}
