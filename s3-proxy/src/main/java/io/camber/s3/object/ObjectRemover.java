package io.camber.s3.object;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.s3.bucket.Buckets.Bucket;
import io.camber.s3.fs.Directories;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Deletes objects as S3 does: a missing key is not an error, and the directories a key's path left behind are
 * removed with it when nothing else is in them, so a later listing shows no empty prefix.
 */
public final class ObjectRemover {
    private ObjectRemover() {
    }

    public static CompletableFuture<Void> delete(CamberFs fs, Bucket bucket, ObjectKey key) {
        return parents(fs, bucket, key).thenCompose(chain -> {
            if (chain == null) {
                return CompletableFuture.completedFuture(null);
            }
            long parent = chain.get(chain.size() - 1).ino();
            return fs.lookup(parent, key.name()).thenCompose(found -> found.type() == FileType.DIRECTORY
                    ? CompletableFuture.<Void>completedFuture(null) // a directory is no object: nothing to delete
                    : fs.unlink(parent, key.name()).thenCompose(v -> prune(fs, chain, key.parents())))
                    .exceptionally(e -> ignoreMissing(e));
        });
    }

    /** The directories from the bucket down to the key's parent, or null when one of them is missing. */
    private static CompletableFuture<List<Inode>> parents(CamberFs fs, Bucket bucket, ObjectKey key) {
        CompletableFuture<List<Inode>> at = CompletableFuture.completedFuture(new ArrayList<>(List.of(bucket.dir())));
        for (String name : key.parents()) {
            at = at.thenCompose(chain -> chain == null ? CompletableFuture.completedFuture(null)
                    : fs.lookup(chain.get(chain.size() - 1).ino(), name).handle((dir, e) -> {
                        if (e != null) {
                            ignoreMissing(e);
                            return null;
                        }
                        if (!dir.isDirectory()) {
                            return null;
                        }
                        chain.add(dir);
                        return chain;
                    }));
        }
        return at;
    }

    /** Removes the emptied directories from the deepest up; the first that still holds something stops it. */
    private static CompletableFuture<Void> prune(CamberFs fs, List<Inode> chain, List<String> names) {
        CompletableFuture<Boolean> going = CompletableFuture.completedFuture(true);
        for (int i = names.size() - 1; i >= 0; i--) {
            long parent = chain.get(i).ino();
            String name = names.get(i);
            going = going.thenCompose(go -> !go ? CompletableFuture.completedFuture(false)
                    : fs.rmdir(parent, name).handle((v, e) -> e == null));
        }
        return going.thenApply(v -> null);
    }

    private static Void ignoreMissing(Throwable e) {
        FsError error = Directories.errorOf(e);
        if (error == FsError.ENOENT || error == FsError.ENOTDIR) {
            return null;
        }
        throw new CompletionException(Directories.unwrap(e));
    }
}
