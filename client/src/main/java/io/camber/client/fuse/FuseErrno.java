package io.camber.client.fuse;

import io.camber.common.CamberException;
import io.camber.meta.fs.FsException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failed file-system call into the negative errno a FUSE callback returns; the one place this happens. */
final class FuseErrno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int ERANGE = 34;
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;

    private FuseErrno() {
    }

    /**
     * The negative errno for a failure: an {@link FsException}'s own errno; a cluster error by its code (FENCED:
     * another writer owns the data, so EPERM; NO_SPACE: ENOSPC; INVALID_ARGUMENT: EINVAL); everything else,
     * including a timeout or an unreachable cluster, is EIO, which applications report and do not retry blindly.
     */
    static int of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof FsException fe) {
            return -fe.error().errno();
        }
        if (cause instanceof CamberException ce) {
            return switch (ce.code()) {
                case FENCED, FORBIDDEN -> -EPERM;
                case NO_SPACE -> -ENOSPC;
                case INVALID_ARGUMENT -> -EINVAL;
                case NOT_FOUND -> -ENOENT;
                default -> -EIO;
            };
        }
        if (cause instanceof Refused r) {
            return -r.errno;
        }
        return -EIO;
    }

    /** Whether the failure is an ordinary answer (ENOENT and the like), not worth a log line. */
    static boolean expected(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof FsException || cause instanceof Refused;
    }

    /** A refusal the adapter itself decides (a bad handle, a name too long), with its errno. */
    static final class Refused extends RuntimeException {
        final int errno;

        Refused(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
