package io.camber.s3.bucket;

import io.camber.client.fs.CamberFs;
import io.camber.meta.protocol.MetaResult.Entry;

import java.util.concurrent.CompletableFuture;

/**
 * Removes a directory tree that holds only directories: what deletes leave behind under a bucket. S3 has no
 * directories, so a bucket with nothing but empty ones is empty.
 */
final class EmptyTree {
    private EmptyTree() {
    }

    /**
     * Removes every directory below dir and answers true when no file is anywhere below it; false when one is (the
     * empty directories met before it may be gone by then, which changes nothing S3 shows).
     */
    static CompletableFuture<Boolean> remove(CamberFs fs, long dir) {
        return Buckets.readAll(fs, dir).thenCompose(entries -> {
            boolean holdsFile = entries.stream().anyMatch(e -> e.attr() == null || !e.attr().isDirectory());
            if (holdsFile) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> all = CompletableFuture.completedFuture(true);
            for (Entry sub : entries) {
                all = all.thenCompose(empty -> !empty ? CompletableFuture.completedFuture(false)
                        : remove(fs, sub.ino()).thenCompose(subEmpty -> subEmpty
                        ? fs.rmdir(dir, sub.name()).thenApply(v -> true) : CompletableFuture.completedFuture(false)));
            }
            return all;
        });
    }
}
