package io.camber.client.block;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Orders writes that touch the same 4 KiB chunk page. A sub-page write is a read-modify-write of
 * the whole page; another write to that page in between would be lost, so writes to a page run one
 * after another. Writes to different pages still run in parallel.
 */
final class PageSequencer {
    private record PageKey(long chunkId, long page) {
    }

    private final Map<PageKey, CompletableFuture<?>> tails = new HashMap<>();

    /** Runs op after every earlier write to the pages [firstPage, lastPage] of the chunk has completed. */
    <T> CompletableFuture<T> run(long chunkId, long firstPage, long lastPage, Supplier<CompletableFuture<T>> op) {
        List<CompletableFuture<?>> before = new ArrayList<>();
        CompletableFuture<T> result = new CompletableFuture<>();
        List<PageKey> keys = new ArrayList<>();
        synchronized (tails) {
            for (long p = firstPage; p <= lastPage; p++) {
                PageKey key = new PageKey(chunkId, p);
                CompletableFuture<?> tail = tails.put(key, result);
                if (tail != null) {
                    before.add(tail);
                }
                keys.add(key);
            }
        }
        CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
                .handle((x, e) -> null) // an earlier failure does not block later writes
                .thenCompose(x -> op.get())
                .whenComplete((v, e) -> {
                    synchronized (tails) {
                        keys.forEach(k -> tails.remove(k, result));
                    }
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
        return result;
    }
}
