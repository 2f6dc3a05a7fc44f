package io.camber.s3.object;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.s3.bucket.Buckets.Bucket;
import io.camber.s3.fs.Directories;
import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a PUT aside and renames it into place, so a reader sees the old object or the new one, never a part: the
 * body goes to a new file in the staging directory, is flushed (on a majority of replicas), gets its metadata
 * xattr, and only then is renamed over the key's name. A PUT that fails leaves the old object untouched.
 */
public final class ObjectWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectWriter.class);

    private final String stagingDir;
    private final long maxObjectSize;

    public ObjectWriter(String stagingDir, long maxObjectSize) {
        this.stagingDir = stagingDir;
        this.maxObjectSize = maxObjectSize;
    }

    /** Stores the body under key and answers the ETag (the body's MD5 in hex unless the request names one). */
    public Mono<String> put(CamberFs fs, Bucket bucket, ObjectKey key, PutRequest put) {
        if (put.declaredLength() > maxObjectSize) {
            return Mono.error(tooLarge());
        }
        Md5 md5 = new Md5();
        String staged = UUID.randomUUID().toString();
        return Mono.fromFuture(() -> stage(fs, staged)).flatMap(file -> Mono.fromFuture(() -> fs.openCreated(file,
                true)).flatMap(handle -> write(handle, put, md5)
                .then(Mono.fromSupplier(() -> put.etag() != null ? put.etag() : md5.hex()))
                .flatMap(etag -> Mono.fromFuture(() -> handle.release().thenCompose(v -> fs.getattr(file.ino()))
                        .thenCompose(written -> fs.setxattr(file.ino(), ObjectMeta.XATTR,
                                put.meta().withEtag(etag, written).toBytes(), 0))).thenReturn(etag))
                .onErrorResume(e -> Mono.fromFuture(() -> handle.release().handle((v, e2) -> null))
                        .then(Mono.error(e))))
                .flatMap(etag -> Mono.fromFuture(() -> moveIntoPlace(fs, bucket, key, file.parent(), staged))
                        .thenReturn(etag))
                .onErrorResume(e -> Mono.fromFuture(() -> discard(fs, staged)).then(Mono.error(e))))
                .doOnNext(etag -> LOG.debug("event=s3_put bucket={} key_bytes={} bytes={}", bucket.name(),
                        key.key().length(), md5.bytes()));
    }

    private Mono<Void> write(CamberFs.FileHandle handle, PutRequest put, Md5 md5) {
        long[] offset = {0};
        return put.body().concatMap(buf -> {
            md5.update(buf);
            long at = offset[0];
            offset[0] += buf.remaining();
            if (offset[0] > maxObjectSize) {
                return Mono.error(tooLarge());
            }
            return Mono.fromFuture(() -> handle.write(at, buf));
        }, 1).then(Mono.defer(() -> {
            if (put.declaredLength() >= 0 && offset[0] != put.declaredLength()) {
                return Mono.error(new S3Exception(S3Error.INCOMPLETE_BODY, "the body held " + offset[0]
                        + " bytes, not the " + put.declaredLength() + " the request declared"));
            }
            return Mono.fromFuture(handle::flush);
        }));
    }

    /** A new empty file in the staging directory, which is made on first use. */
    private CompletableFuture<Inode> stage(CamberFs fs, String name) {
        return Directories.ensure(fs, CamberFs.ROOT, List.of(stagingDir)).thenCompose(dir -> fs.mknod(dir.ino(), name,
                Directories.FILE_MODE, 0, Directories.OWNER));
    }

    /**
     * Makes a file that is already whole (the joined parts of a multipart upload, say) the object at key: its
     * metadata xattr first, then a rename from its name in dir over the key's name. Answers the ETag.
     */
    public Mono<String> place(CamberFs fs, Bucket bucket, ObjectKey key, long dir, String name, Inode file,
                              ObjectMeta meta, String etag) {
        return Mono.fromFuture(() -> fs.setxattr(file.ino(), ObjectMeta.XATTR, meta.withEtag(etag, file).toBytes(), 0)
                .thenCompose(v -> moveIntoPlace(fs, bucket, key, dir, name))).thenReturn(etag);
    }

    private CompletableFuture<Void> moveIntoPlace(CamberFs fs, Bucket bucket, ObjectKey key, long fromDir,
                                                  String name) {
        return Directories.ensure(fs, bucket.dir().ino(), key.parents()).exceptionally(e -> {
            if (Directories.errorOf(e) == FsError.ENOTDIR) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "a prefix of key '" + key.key() + "' is an object: "
                        + "in Camber a key is a path, and an object cannot also be a directory of other keys");
            }
            throw new java.util.concurrent.CompletionException(Directories.unwrap(e));
        }).thenCompose(parent -> fs.rename(fromDir, name, parent.ino(), key.name())).exceptionally(e -> {
            FsError error = Directories.errorOf(e);
            if (error == FsError.EISDIR || error == FsError.ENOTEMPTY || error == FsError.EEXIST) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "key '" + key.key() + "' names a directory that "
                        + "holds other keys: in Camber a key is a path, so it cannot be both");
            }
            throw new java.util.concurrent.CompletionException(Directories.unwrap(e));
        });
    }

    private CompletableFuture<Void> discard(CamberFs fs, String staged) {
        return Directories.find(fs, CamberFs.ROOT, List.of(stagingDir))
                .thenCompose(dir -> fs.unlink(dir.ino(), staged))
                .handle((v, e) -> {
                    if (e != null && Directories.errorOf(e) != FsError.ENOENT) {
                        LOG.warn("event=s3_staged_file_left file={}/{} error={}", stagingDir, staged,
                                Directories.unwrap(e).toString());
                    }
                    return null;
                });
    }

    private S3Exception tooLarge() {
        return new S3Exception(S3Error.ENTITY_TOO_LARGE, "the object is larger than the " + maxObjectSize
                + " bytes a single PUT may carry here (camber.s3.max-object-size)");
    }
}
