package io.camber.s3.multipart;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.s3.fs.Directories;
import io.camber.s3.multipart.Uploads.Part;
import io.camber.s3.multipart.Uploads.Upload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Complete Multipart without copying: the parts' extents become one file's in a single partition command
 * ({@link CamberFs#join}), into the file {@value #JOINED} of the upload's directory, which is then renamed over the
 * key. The join empties the parts, so the part list it consumed is written on that file first (xattr {@value #PLAN}):
 * a Complete repeated after a crash between the join and the rename finds the joined file and finishes it, as long as
 * it names the same parts. Parts that cannot be joined (in different partitions, kept inline, or one before the last
 * that ends mid-block) are reported as such, and the caller copies them.
 */
public final class PartJoin {
    static final String JOINED = ".joined";
    static final String PLAN = "user.camber.s3.join-plan";

    /** The joined file: its name in the directory dir (the upload's) and its inode. */
    public record Joined(long dir, String name, Inode file) {
    }

    /** The part list a Complete names, as the plan xattr records it: "number:etag" per part, in order. */
    public static String plan(List<Integer> numbers, List<String> etags) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < numbers.size(); i++) {
            b.append(i == 0 ? "" : ",").append(numbers.get(i)).append(':').append(etags.get(i));
        }
        return b.toString();
    }

    /** The file an earlier Complete of the same part list joined but did not rename into place; empty if none. */
    public CompletableFuture<Optional<Joined>> earlier(CamberFs fs, Upload upload, String plan) {
        return fs.lookup(upload.dir().ino(), JOINED).thenCompose(file -> fs.getxattr(file.ino(), PLAN)
                .thenApply(recorded -> {
                    boolean same = Arrays.equals(recorded, plan.getBytes(StandardCharsets.UTF_8));
                    if (!same && file.size() > 0) {
                        throw new io.camber.s3.web.S3Exception("InvalidPart", 400, "this upload's parts were joined"
                                + " by an earlier Complete naming other parts ("
                                + new String(recorded, StandardCharsets.UTF_8) + "): repeat that Complete", null);
                    }
                    return same && file.size() > 0 ? Optional.of(new Joined(upload.dir().ino(), JOINED, file))
                            : Optional.<Joined>empty();
                })).exceptionally(e -> {
                    FsError error = Directories.errorOf(e);
                    if (error == FsError.ENOENT || error == FsError.ENODATA) {
                        return Optional.empty();
                    }
                    throw new CompletionException(Directories.unwrap(e));
                });
    }

    /** Joins the parts into a new file of the upload's directory; empty when they cannot be joined: copy them. */
    public CompletableFuture<Optional<Joined>> join(CamberFs fs, Upload upload, List<Part> parts, String plan) {
        long dir = upload.dir().ino();
        List<Long> sources = parts.stream().map(p -> p.file().ino()).collect(Collectors.toList());
        return fs.unlink(dir, JOINED).handle((v, e) -> null) // a file left by a Complete that crashed before joining
                .thenCompose(v -> fs.mknod(dir, JOINED, Directories.FILE_MODE, 0, Directories.OWNER))
                .thenCompose(target -> fs.setxattr(target.ino(), PLAN, plan.getBytes(StandardCharsets.UTF_8), 0)
                        .thenCompose(v -> fs.join(target.ino(), sources))
                        .thenApply(joined -> Optional.of(new Joined(dir, JOINED, joined)))
                        .exceptionallyCompose(e -> {
                            FsError error = Directories.errorOf(e);
                            if (error == FsError.EXDEV || error == FsError.EINVAL) {
                                return fs.unlink(dir, JOINED).thenApply(u -> Optional.empty());
                            }
                            return CompletableFuture.failedFuture(Directories.unwrap(e));
                        }));
    }
}
