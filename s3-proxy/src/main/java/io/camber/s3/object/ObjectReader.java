package io.camber.s3.object;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.s3.bucket.Buckets.Bucket;
import io.camber.s3.fs.Directories;
import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletionException;

/** Finds objects and streams their bytes piece by piece, so a GET never holds a whole object in memory. */
public final class ObjectReader {
    private final int piece;

    public ObjectReader(int piece) {
        this.piece = piece;
    }

    /** The object under key with its metadata; NoSuchKey when the path is missing or not a regular file. */
    public Mono<StoredObject> find(CamberFs fs, Bucket bucket, ObjectKey key) {
        return Mono.fromFuture(() -> Directories.find(fs, bucket.dir().ino(), key.segments()).exceptionally(e -> {
            FsError error = Directories.errorOf(e);
            if (error == FsError.ENOENT || error == FsError.ENOTDIR) {
                throw noSuchKey(key);
            }
            throw new CompletionException(Directories.unwrap(e));
        }).thenCompose(inode -> {
            if (inode.type() != FileType.REGULAR) {
                throw noSuchKey(key);
            }
            return fs.getxattr(inode.ino(), ObjectMeta.XATTR).handle((bytes, e) -> {
                if (e != null && Directories.errorOf(e) != FsError.ENODATA) {
                    throw new CompletionException(Directories.unwrap(e));
                }
                return new StoredObject(key.key(), inode, ObjectMeta.of(inode, e == null ? bytes : null));
            });
        }));
    }

    /** The bytes first..last (inclusive) of the object, read as the subscriber asks for them. */
    public Flux<DataBuffer> stream(CamberFs fs, StoredObject object, long first, long last, DataBufferFactory buffers) {
        if (last < first) {
            return Flux.empty();
        }
        return Flux.usingWhen(Mono.fromFuture(() -> fs.open(object.inode().ino(), false)),
                handle -> Flux.generate(() -> first, (Long at, reactor.core.publisher.SynchronousSink<Long> sink) -> {
                    sink.next(at);
                    return at + piece;
                }).takeWhile(at -> at <= last).concatMap(at -> Mono.fromFuture(() -> handle.read(at,
                        (int) Math.min(piece, last - at + 1))).map(data -> {
                    if (!data.hasRemaining()) {
                        // the file shrank under the GET (a truncate through a mount): end short, the client sees it
                        throw new S3Exception(S3Error.INTERNAL_ERROR, "the object changed while it was read");
                    }
                    return buffers.wrap(data);
                }), 1),
                handle -> Mono.fromFuture(handle::release));
    }

    private static S3Exception noSuchKey(ObjectKey key) {
        return new S3Exception(S3Error.NO_SUCH_KEY, "there is no object '" + key.key() + "'");
    }
}
