package io.camber.client.fuse;

import io.camber.client.fs.CamberFs.FsUsage;
import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/** Copies Camber's attributes into the C structs libfuse hands the kernel. */
final class StatFill {
    /** The block size reported to applications: Camber's IO unit, so cp and fio write whole pages. */
    static final int BLOCK = 4096;

    private StatFill() {
    }

    /** stat(2) of inode, with size reported as {@code size} (the adapter may know of unflushed writes). */
    static void file(FileStat stat, Inode inode, long size) {
        stat.st_ino.set(inode.ino());
        stat.st_mode.set(inode.mode());
        stat.st_nlink.set(inode.nlink());
        stat.st_uid.set(inode.uid());
        stat.st_gid.set(inode.gid());
        stat.st_rdev.set(inode.rdev());
        stat.st_size.set(size);
        stat.st_blksize.set(BLOCK);
        // st_blocks counts 512-byte units actually held, so du and sparse-file checks see holes as free
        stat.st_blocks.set(blocks(inode, size));
        time(stat.st_atim, inode.atime());
        time(stat.st_mtim, inode.mtime());
        time(stat.st_ctim, inode.ctime());
    }

    /**
     * 512-byte blocks held: the extents' bytes, or an inline file's bytes (whole 4 KiB blocks, as a local file system
     * would hold them: a file with data and no blocks looks all hole to sparse-aware tools), or for unflushed data
     * the size written (an upper bound).
     */
    static long blocks(Inode inode, long size) {
        long held = inode.isInline() ? DataLayout.blockCeil(inode.inline().length) : inode.allocatedBytes();
        if (size > inode.size()) {
            held += size - inode.size();
        }
        return (held + 511) / 512;
    }

    static void fs(Statvfs st, FsUsage usage) {
        st.f_bsize.set(BLOCK);
        st.f_frsize.set(BLOCK);
        st.f_blocks.set(usage.totalBytes() / BLOCK);
        st.f_bfree.set(usage.freeBytes() / BLOCK);
        st.f_bavail.set(usage.freeBytes() / BLOCK);
        st.f_files.set(usage.inodes());
        st.f_ffree.set(usage.freeInodes());
        st.f_favail.set(usage.freeInodes());
        st.f_namemax.set(NameRules.NAME_MAX);
    }

    private static void time(Timespec ts, long nanos) {
        ts.tv_sec.set(Math.floorDiv(nanos, 1_000_000_000L));
        ts.tv_nsec.set(Math.floorMod(nanos, 1_000_000_000L));
    }
}
