package io.camber.s3.bucket;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaResult.Entry;
import io.camber.s3.fs.Directories;
import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Buckets as top-level directories of the S3 file system. The owning access key is an xattr of the directory; a
 * directory made through a mount has none and is open to every key, as its files already are to the mount's users.
 */
public final class Buckets {
    public static final String OWNER_XATTR = "user.camber.s3.owner";

    private Buckets() {
    }

    /** A bucket as listed: its directory and owner (null when made outside S3). */
    public record Bucket(String name, Inode dir, String owner) {
    }

    /** The bucket's directory, checked for the caller's access: NoSuchBucket or AccessDenied otherwise. */
    public static CompletableFuture<Bucket> open(CamberFs fs, String name, String accessKey) {
        if (!BucketName.isValid(name)) {
            return CompletableFuture.failedFuture(noSuchBucket(name));
        }
        return fs.lookup(CamberFs.ROOT, name).exceptionally(e -> {
            throw Directories.errorOf(e) == FsError.ENOENT ? noSuchBucket(name) : propagate(e);
        }).thenCompose(dir -> {
            if (!dir.isDirectory()) {
                throw noSuchBucket(name);
            }
            return owner(fs, dir).thenApply(owner -> {
                if (owner != null && !owner.equals(accessKey)) {
                    throw new S3Exception(S3Error.ACCESS_DENIED, "bucket '" + name + "' belongs to another key");
                }
                return new Bucket(name, dir, owner);
            });
        });
    }

    /** Makes the bucket's directory, owned by accessKey. */
    public static CompletableFuture<Bucket> create(CamberFs fs, String name, String accessKey) {
        BucketName.require(name);
        return fs.mkdir(CamberFs.ROOT, name, Directories.DIR_MODE, Directories.OWNER).exceptionallyCompose(e -> {
            if (Directories.errorOf(e) != FsError.EEXIST) {
                return CompletableFuture.failedFuture(e);
            }
            return open(fs, name, accessKey).handle((b, e2) -> {
                if (e2 != null && Directories.unwrap(e2) instanceof S3Exception se && se.status() == 403) {
                    throw new S3Exception(S3Error.BUCKET_ALREADY_EXISTS, "bucket '" + name + "' exists and "
                            + "belongs to another key: choose another name");
                }
                throw new S3Exception(S3Error.BUCKET_ALREADY_OWNED_BY_YOU, "bucket '" + name + "' exists already "
                        + "and is yours");
            });
        }).thenCompose(dir -> fs.setxattr(dir.ino(), OWNER_XATTR, accessKey.getBytes(StandardCharsets.UTF_8), 0)
                .thenApply(v -> new Bucket(name, dir, accessKey)));
    }

    /** The buckets accessKey may use, in name order. */
    public static CompletableFuture<List<Bucket>> list(CamberFs fs, String accessKey) {
        return readAll(fs, CamberFs.ROOT).thenCompose(entries -> {
            List<CompletableFuture<Bucket>> all = new ArrayList<>();
            for (Entry e : entries) {
                if (e.attr() != null && e.attr().isDirectory() && BucketName.isValid(e.name())) {
                    all.add(owner(fs, e.attr()).thenApply(o -> new Bucket(e.name(), e.attr(), o)));
                }
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> all.stream()
                    .map(CompletableFuture::join).filter(b -> b.owner() == null || b.owner().equals(accessKey))
                    .toList());
        });
    }

    /** Removes an empty bucket; directories left empty by deletes do not count as content. */
    public static CompletableFuture<Void> delete(CamberFs fs, Bucket bucket) {
        return EmptyTree.remove(fs, bucket.dir().ino()).thenCompose(empty -> {
            if (!empty) {
                throw new S3Exception(S3Error.BUCKET_NOT_EMPTY, "bucket '" + bucket.name() + "' still holds "
                        + "objects: delete them first");
            }
            return fs.rmdir(CamberFs.ROOT, bucket.name());
        });
    }

    /** Every entry of a directory, in the order the partition keeps them. */
    public static CompletableFuture<List<Entry>> readAll(CamberFs fs, long dir) {
        return readFrom(fs, dir, null, new ArrayList<>());
    }

    private static CompletableFuture<List<Entry>> readFrom(CamberFs fs, long dir, String after, List<Entry> into) {
        return fs.readdir(dir, after, 1000).thenCompose(page -> {
            into.addAll(page);
            return page.size() < 1000 ? CompletableFuture.completedFuture(into)
                    : readFrom(fs, dir, page.get(page.size() - 1).name(), into);
        });
    }

    private static CompletableFuture<String> owner(CamberFs fs, Inode dir) {
        return fs.getxattr(dir.ino(), OWNER_XATTR).handle((v, e) -> {
            if (e == null) {
                return new String(v, StandardCharsets.UTF_8);
            }
            if (Directories.errorOf(e) == FsError.ENODATA) {
                return null;
            }
            throw propagate(e);
        });
    }

    private static S3Exception noSuchBucket(String name) {
        return new S3Exception(S3Error.NO_SUCH_BUCKET, "there is no bucket '" + name + "'");
    }

    private static RuntimeException propagate(Throwable e) {
        Throwable t = Directories.unwrap(e);
        return t instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(t);
    }
}
