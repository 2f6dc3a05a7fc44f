package io.camber.s3.fs;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;

import java.util.List;
import java.util.function.BiFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Walks and builds directory paths in the bucket file system, one lookup or mkdir per segment. */
public final class Directories {
    /** Who owns what S3 creates on the file system: root, as the proxy acts for the cluster, not for a user. */
    public static final CamberFs.Caller OWNER = new CamberFs.Caller(0, 0);
    public static final int DIR_MODE = 040755;
    public static final int FILE_MODE = 0100644;

    private Directories() {
    }

    /** The inode names reach from parent, each a lookup; fails with ENOENT (or ENOTDIR) if one is missing. */
    public static CompletableFuture<Inode> find(CamberFs fs, long parent, List<String> names) {
        return walk(fs, parent, names, fs::lookup);
    }

    /** Like mkdir -p: the directory names reach from parent, made where missing; a file in the way is ENOTDIR. */
    public static CompletableFuture<Inode> ensure(CamberFs fs, long parent, List<String> names) {
        return walk(fs, parent, names, (dir, name) -> child(fs, dir, name)).thenApply(Directories::directory);
    }

    private static CompletableFuture<Inode> walk(CamberFs fs, long parent, List<String> names,
                                                 BiFunction<Long, String, CompletableFuture<Inode>> step) {
        CompletableFuture<Inode> at = fs.getattr(parent);
        for (String name : names) {
            at = at.thenCompose(dir -> step.apply(directory(dir).ino(), name));
        }
        return at;
    }

    private static Inode directory(Inode inode) {
        if (!inode.isDirectory()) {
            throw FsException.of(FsError.ENOTDIR, "not a directory");
        }
        return inode;
    }

    private static CompletableFuture<Inode> child(CamberFs fs, long dir, String name) {
        return fs.lookup(dir, name).exceptionallyCompose(e -> {
            if (errorOf(e) != FsError.ENOENT) {
                return CompletableFuture.failedFuture(e);
            }
            // another PUT may make the same directory at the same moment: EEXIST then means "it is there now"
            return fs.mkdir(dir, name, DIR_MODE, OWNER).exceptionallyCompose(e2 -> errorOf(e2) == FsError.EEXIST
                    ? fs.lookup(dir, name) : CompletableFuture.failedFuture(e2));
        });
    }

    /** The file-system error a failed call carries, or null when it failed for another reason. */
    public static FsError errorOf(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) {
            if (t.getCause() == null) {
                break;
            }
            t = t.getCause();
        }
        return t instanceof FsException fe ? fe.error() : null;
    }

    /** The cause a CompletableFuture wrapped. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
