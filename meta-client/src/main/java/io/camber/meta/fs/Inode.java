package io.camber.meta.fs;

import java.util.List;

/**
 * One inode: POSIX attributes, the target of a symlink, and the extent map of a regular file's data.
 * Times are nanoseconds since the epoch, decided by whoever issued the command (never the replica's clock).
 *
 * @param parent the directory that holds a directory's ".." (for other types, the directory it was created in)
 */
public record Inode(long ino, int mode, int uid, int gid, int nlink, long size, long atime, long mtime, long ctime,
                    long rdev, long parent, String symlink, List<Extent> extents) {

    public Inode {
        extents = List.copyOf(extents);
    }

    public FileType type() {
        return FileType.of(mode);
    }

    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    public Inode withNlink(int newNlink, long time) {
        return new Inode(ino, mode, uid, gid, newNlink, size, atime, mtime, time, rdev, parent, symlink, extents);
    }

    /** The inode after a change of its content: mtime and ctime move to time. */
    public Inode modified(long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, time, time, rdev, parent, symlink, extents);
    }

    public Inode withCtime(long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, mtime, time, rdev, parent, symlink, extents);
    }

    public Inode withParent(long newParent, long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, mtime, time, rdev, newParent, symlink, extents);
    }

    public Inode withData(long newSize, List<Extent> newExtents, long time) {
        return new Inode(ino, mode, uid, gid, nlink, newSize, atime, time, time, rdev, parent, symlink, newExtents);
    }

    public Inode withAttributes(int newMode, int newUid, int newGid, long newAtime, long newMtime, long newCtime) {
        return new Inode(ino, newMode, newUid, newGid, nlink, size, newAtime, newMtime, newCtime, rdev, parent,
                symlink, extents);
    }

    /** The inode with a new extent map and ctime, size and mtime unchanged (space allocated, not yet written). */
    public Inode withExtents(List<Extent> newExtents, long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, mtime, time, rdev, parent, symlink, newExtents);
    }

    /** Bytes of volume space the extents hold (what GC frees when the inode goes). */
    public long allocatedBytes() {
        return extents.stream().mapToLong(Extent::length).sum();
    }
}
