package io.camber.s3.multipart;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaResult.Entry;
import io.camber.s3.bucket.Buckets;
import io.camber.s3.bucket.Buckets.Bucket;
import io.camber.s3.fs.Directories;
import io.camber.s3.object.ObjectMeta;
import io.camber.s3.web.S3Exception;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Multipart uploads as directories of the file system: {@code /<uploads-dir>/<uploadId>/} holds one file per part
 * (written aside and renamed into place like any PUT) and carries the upload's {@link UploadRecord} as an xattr.
 * The state outlives the proxy that started it: after a restart, any proxy completes or aborts it.
 */
public final class Uploads {
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");
    private final String uploadsDir;

    public Uploads(String uploadsDir) {
        this.uploadsDir = uploadsDir;
    }

    /** An upload: its id, its directory and what it will become. */
    public record Upload(String id, Inode dir, UploadRecord record) {
        /** The upload's directory as the writer sees a bucket: the parts are its objects. */
        public Bucket parts() {
            return new Bucket(id, dir, record.owner());
        }
    }

    /** One uploaded part: its number, its file and its ETag (the MD5 of its bytes). */
    public record Part(int number, Inode file, String etag) {
        public long size() {
            return file.size();
        }

        public Instant lastModified() {
            return Instant.ofEpochSecond(0, file.mtime());
        }
    }

    public CompletableFuture<Upload> create(CamberFs fs, UploadRecord record) {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        String uploadId = HexFormat.of().formatHex(id);
        return Directories.ensure(fs, CamberFs.ROOT, List.of(uploadsDir, uploadId))
                .thenCompose(dir -> fs.setxattr(dir.ino(), UploadRecord.XATTR, record.toBytes(), 0)
                        .thenApply(v -> new Upload(uploadId, dir, record)));
    }

    /** The upload id names, which must be for this bucket and key; NoSuchUpload otherwise. */
    public CompletableFuture<Upload> open(CamberFs fs, String uploadId, String bucket, String key) {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            return CompletableFuture.failedFuture(noSuchUpload(uploadId));
        }
        return Directories.find(fs, CamberFs.ROOT, List.of(uploadsDir, uploadId)).thenCompose(dir ->
                fs.getxattr(dir.ino(), UploadRecord.XATTR).thenApply(bytes -> {
                    UploadRecord r = UploadRecord.fromBytes(bytes);
                    if (!r.bucket().equals(bucket) || !r.key().equals(key)) {
                        throw noSuchUpload(uploadId);
                    }
                    return new Upload(uploadId, dir, r);
                })).exceptionally(e -> {
                    FsError error = Directories.errorOf(e);
                    if (error == FsError.ENOENT || error == FsError.ENODATA) {
                        throw noSuchUpload(uploadId);
                    }
                    throw new CompletionException(Directories.unwrap(e));
                });
    }

    /** The upload's parts in number order. */
    public CompletableFuture<List<Part>> parts(CamberFs fs, Upload upload) {
        return Buckets.readAll(fs, upload.dir().ino()).thenCompose(entries -> {
            List<CompletableFuture<Part>> parts = new ArrayList<>();
            for (Entry e : entries) {
                if (PartNumber.isPartFile(e.name()) && e.attr() != null && !e.attr().isDirectory()) {
                    parts.add(fs.getxattr(e.ino(), ObjectMeta.XATTR).thenApply(bytes -> new Part(
                            Integer.parseInt(e.name()), e.attr(), ObjectMeta.of(e.attr(), bytes).etag())));
                }
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> parts.stream()
                    .map(CompletableFuture::join).sorted(Comparator.comparingInt(Part::number)).toList());
        });
    }

    /** Removes the upload: its parts (staged ones too), then its directory. */
    public CompletableFuture<Void> remove(CamberFs fs, Upload upload) {
        return Buckets.readAll(fs, upload.dir().ino()).thenCompose(entries -> {
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (Entry e : entries) {
                all = all.thenCompose(v -> fs.unlink(upload.dir().ino(), e.name()));
            }
            return all;
        }).thenCompose(v -> Directories.find(fs, CamberFs.ROOT, List.of(uploadsDir)))
                .thenCompose(root -> fs.rmdir(root.ino(), upload.id()));
    }

    /** The uploads in progress for bucket, by key and then start time. */
    public CompletableFuture<List<Upload>> list(CamberFs fs, String bucket) {
        return all(fs).thenApply(uploads -> uploads.stream().filter(u -> u.record().bucket().equals(bucket))
                .sorted(Comparator.comparing((Upload u) -> u.record().key())
                        .thenComparingLong(u -> u.record().initiated())).toList());
    }

    /** Every upload in progress, of any bucket, in no particular order. */
    public CompletableFuture<List<Upload>> all(CamberFs fs) {
        return Directories.find(fs, CamberFs.ROOT, List.of(uploadsDir)).thenCompose(root ->
                Buckets.readAll(fs, root.ino())).thenCompose(entries -> {
            List<CompletableFuture<Upload>> uploads = new ArrayList<>();
            for (Entry e : entries) {
                if (UPLOAD_ID.matcher(e.name()).matches() && e.attr() != null && e.attr().isDirectory()) {
                    uploads.add(fs.getxattr(e.ino(), UploadRecord.XATTR).handle((bytes, err) -> err != null ? null
                            : new Upload(e.name(), e.attr(), UploadRecord.fromBytes(bytes))));
                }
            }
            return CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).thenApply(v -> uploads.stream()
                    .map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList());
        }).exceptionally(e -> {
            if (Directories.errorOf(e) == FsError.ENOENT) {
                return List.of(); // no upload was ever started
            }
            throw new CompletionException(Directories.unwrap(e));
        });
    }

    private static S3Exception noSuchUpload(String id) {
        return new S3Exception("NoSuchUpload", 404, "there is no multipart upload '" + id + "' for this key: it "
                + "was completed or aborted, or never started", null);
    }
}
