package io.camber.client.fuse;

import io.camber.client.fs.CamberFs.FileHandle;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mount's open files: the number the kernel keeps in fi.fh → the library's {@link FileHandle}, and per inode
 * how far unflushed writes reach. That end matters because the library makes writes visible only at flush, while
 * the kernel expects stat through the same mount to show the size it just wrote (fio, cp and tar stat files they
 * are writing), and a read through another handle to see the bytes.
 */
final class OpenFiles {

    /** One open of a file. */
    static final class OpenFile {
        final long fh;
        final FileHandle handle;
        /** End of the furthest write since the last flush; -1 when nothing is unflushed. */
        private final AtomicLong dirtyEnd = new AtomicLong(-1);

        OpenFile(long fh, FileHandle handle) {
            this.fh = fh;
            this.handle = handle;
        }

        long ino() {
            return handle.ino();
        }

        void wrote(long offset, long length) {
            dirtyEnd.accumulateAndGet(offset + length, Math::max);
        }

        /** What {@link #markFlushed} needs: the dirty end seen before the flush started. */
        long dirtyEnd() {
            return dirtyEnd.get();
        }

        /** Clears the dirty end unless a write raced the flush (then the next flush covers it). */
        void markFlushed(long seenBeforeFlush) {
            dirtyEnd.compareAndSet(seenBeforeFlush, -1);
        }

        boolean dirty() {
            return dirtyEnd.get() >= 0;
        }
    }

    private final AtomicLong nextFh = new AtomicLong(1);
    private final ConcurrentHashMap<Long, OpenFile> byFh = new ConcurrentHashMap<>();

    OpenFile add(FileHandle handle) {
        long fh = nextFh.getAndIncrement();
        OpenFile file = new OpenFile(fh, handle);
        byFh.put(fh, file);
        return file;
    }

    /** The open file behind fi.fh; a number we never gave out is a kernel or adapter bug, answered EBADF. */
    OpenFile get(long fh) {
        OpenFile file = byFh.get(fh);
        if (file == null) {
            throw new FuseErrno.Refused(FuseErrno.EBADF, "no open file with handle " + fh);
        }
        return file;
    }

    OpenFile remove(long fh) {
        OpenFile file = byFh.remove(fh);
        if (file == null) {
            throw new FuseErrno.Refused(FuseErrno.EBADF, "no open file with handle " + fh);
        }
        return file;
    }

    /** The opens of ino with unflushed writes. */
    List<OpenFile> dirty(long ino) {
        return byFh.values().stream().filter(f -> f.ino() == ino && f.dirty()).toList();
    }

    /** How far unflushed writes to ino reach, or -1. */
    long dirtyEnd(long ino) {
        long end = -1;
        for (OpenFile f : byFh.values()) {
            if (f.ino() == ino) {
                end = Math.max(end, f.dirtyEnd());
            }
        }
        return end;
    }

    List<OpenFile> all() {
        return List.copyOf(byFh.values());
    }

    int size() {
        return byFh.size();
    }
}
