package io.camber.meta.fs;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One inode: POSIX attributes, the target of a symlink, and where a regular file's data is: in the extent map, or
 * for a small file in the inode itself.
 * Times are nanoseconds since the epoch, decided by whoever issued the command (never the replica's clock).
 *
 * @param parent the directory that holds a directory's ".." (for other types, the directory it was created in)
 * @param inline a small file's bytes kept in the inode (null when its data is in the extent map): the file reads as
 *               these bytes then zeros up to its size, and any extents it holds are not read. Saves a small file
 *               the data-plane round trips and the allocation; written with {@link
 *               io.camber.meta.protocol.MetaCommand.WriteInline}, moved to extents by AddExtents.
 */
public record Inode(long ino, int mode, int uid, int gid, int nlink, long size, long atime, long mtime, long ctime,
                    long rdev, long parent, String symlink, List<Extent> extents, byte[] inline) {

    public Inode {
        extents = List.copyOf(extents);
    }

    /** An inode whose data (if any) is in its extent map. */
    public Inode(long ino, int mode, int uid, int gid, int nlink, long size, long atime, long mtime, long ctime,
                 long rdev, long parent, String symlink, List<Extent> extents) {
        this(ino, mode, uid, gid, nlink, size, atime, mtime, ctime, rdev, parent, symlink, extents, null);
    }

    public FileType type() {
        return FileType.of(mode);
    }

    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    /** True when the file's bytes are in the inode ({@link #inline}), not in its extents. */
    public boolean isInline() {
        return inline != null;
    }

    public Inode withNlink(int newNlink, long time) {
        return new Inode(ino, mode, uid, gid, newNlink, size, atime, mtime, time, rdev, parent, symlink, extents,
                inline);
    }

    /** The inode after a change of its content: mtime and ctime move to time. */
    public Inode modified(long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, time, time, rdev, parent, symlink, extents, inline);
    }

    public Inode withCtime(long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, mtime, time, rdev, parent, symlink, extents, inline);
    }

    public Inode withParent(long newParent, long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, mtime, time, rdev, newParent, symlink, extents,
                inline);
    }

    /** New size and map, mtime and ctime at time; inline bytes stay (cut to the new size). */
    public Inode withData(long newSize, List<Extent> newExtents, long time) {
        return new Inode(ino, mode, uid, gid, nlink, newSize, atime, time, time, rdev, parent, symlink, newExtents,
                inline == null || inline.length <= newSize ? inline : Arrays.copyOf(inline, (int) newSize));
    }

    /** The data in the extent map from now on (the inline bytes were written there): size and map as given. */
    public Inode withExtentData(long newSize, List<Extent> newExtents, long time) {
        return new Inode(ino, mode, uid, gid, nlink, newSize, atime, time, time, rdev, parent, symlink, newExtents,
                null);
    }

    /** New inline bytes and size, mtime and ctime at time. */
    public Inode withInline(byte[] bytes, long newSize, long time) {
        return new Inode(ino, mode, uid, gid, nlink, newSize, atime, time, time, rdev, parent, symlink, extents,
                bytes);
    }

    public Inode withAttributes(int newMode, int newUid, int newGid, long newAtime, long newMtime, long newCtime) {
        return new Inode(ino, newMode, newUid, newGid, nlink, size, newAtime, newMtime, newCtime, rdev, parent,
                symlink, extents, inline);
    }

    /** The inode with a new extent map and ctime, size and mtime unchanged (space allocated, not yet written). */
    public Inode withExtents(List<Extent> newExtents, long time) {
        return new Inode(ino, mode, uid, gid, nlink, size, atime, mtime, time, rdev, parent, symlink, newExtents,
                inline);
    }

    /** Bytes of volume space the extents hold (what GC frees when the inode goes). */
    public long allocatedBytes() {
        return extents.stream().mapToLong(Extent::length).sum();
    }

    // A record compares arrays by identity: inline bytes are compared by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof Inode i && ino == i.ino && mode == i.mode && uid == i.uid && gid == i.gid
                && nlink == i.nlink && size == i.size && atime == i.atime && mtime == i.mtime && ctime == i.ctime
                && rdev == i.rdev && parent == i.parent && Objects.equals(symlink, i.symlink)
                && extents.equals(i.extents) && Arrays.equals(inline, i.inline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ino, mode, uid, gid, nlink, size, atime, mtime, ctime, rdev, parent, symlink, extents,
                Arrays.hashCode(inline));
    }

    @Override
    public String toString() {
        return "Inode[ino=" + ino + ", mode=0" + Integer.toOctalString(mode) + ", uid=" + uid + ", gid=" + gid
                + ", nlink=" + nlink + ", size=" + size + ", atime=" + atime + ", mtime=" + mtime + ", ctime=" + ctime
                + ", rdev=" + rdev + ", parent=" + parent + ", symlink=" + symlink + ", extents=" + extents
                + ", inline=" + (inline == null ? "none" : inline.length + " bytes") + "]";
    }
}
