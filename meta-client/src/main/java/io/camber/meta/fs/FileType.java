package io.camber.meta.fs;

/** The type bits of a POSIX mode ({@code S_IFMT}); an inode stores the whole mode, type and permissions. */
public enum FileType {
    REGULAR(0100000),
    DIRECTORY(0040000),
    SYMLINK(0120000),
    FIFO(0010000),
    SOCKET(0140000),
    CHAR_DEVICE(0020000),
    BLOCK_DEVICE(0060000);

    /** Mask of the type bits in a mode. */
    public static final int TYPE_MASK = 0170000;
    /** Mask of the permission, setuid, setgid and sticky bits. */
    public static final int PERMISSION_MASK = 07777;

    private final int bits;

    FileType(int bits) {
        this.bits = bits;
    }

    /** The S_IFMT bits of this type. */
    public int bits() {
        return bits;
    }

    /** A mode of this type with the given permission bits. */
    public int mode(int permissions) {
        return bits | (permissions & PERMISSION_MASK);
    }

    /** The type a mode carries; a mode without valid type bits is refused with EINVAL. */
    public static FileType of(int mode) {
        int type = mode & TYPE_MASK;
        for (FileType t : values()) {
            if (t.bits == type) {
                return t;
            }
        }
        throw FsException.of(FsError.EINVAL, "mode 0" + Integer.toOctalString(mode)
                + " has no file type: set one of S_IFREG, S_IFDIR, S_IFLNK, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK");
    }
}
