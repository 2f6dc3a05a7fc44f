package io.camber.meta.fs;

/**
 * The outcome of a file-system operation, named and numbered as the POSIX errno a FUSE adapter answers with,
 * so the mapping to the kernel happens once, here.
 */
public enum FsError {
    OK(0),
    EPERM(1),
    ENOENT(2),
    EIO(5),
    EAGAIN(11),
    EBUSY(16),
    EEXIST(17),
    EXDEV(18),
    ENOTDIR(20),
    EISDIR(21),
    EINVAL(22),
    ENOSPC(28),
    ERANGE(34),
    ENAMETOOLONG(36),
    ENOTEMPTY(39),
    ENODATA(61),
    // Appended, not in errno order: replies carry the ordinal, so existing constants keep their place.
    EBADF(9),
    EFBIG(27);

    private final int errno;

    FsError(int errno) {
        this.errno = errno;
    }

    /** The Linux errno of this outcome (0 for OK). */
    public int errno() {
        return errno;
    }
}
