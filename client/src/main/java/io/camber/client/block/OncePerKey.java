package io.camber.client.block;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one asynchronous call per key on its way or done: concurrent callers of a key share one future, a
 * successful answer is kept, and a failed call is forgotten so that the next caller tries again.
 */
final class OncePerKey<K, V> {
    private final Map<K, CompletableFuture<V>> calls = new ConcurrentHashMap<>();

    /** The key's kept or pending answer, else the answer of call, started now. */
    CompletableFuture<V> get(K key, Supplier<CompletableFuture<V>> call) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> known = calls.putIfAbsent(key, mine);
        if (known != null) {
            return known;
        }
        CompletableFuture<V> sent;
        try {
            sent = call.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((v, e) -> {
            if (e != null) {
                calls.remove(key, mine);
                mine.completeExceptionally(e);
            } else {
                mine.complete(v);
            }
        });
        return mine;
    }

    /** The key's kept or pending answer, or null when none was asked for (or the last call failed). */
    CompletableFuture<V> peek(K key) {
        return calls.get(key);
    }

    /** Keeps an answer learnt elsewhere, unless the key already has one. */
    void keep(K key, V value) {
        calls.putIfAbsent(key, CompletableFuture.completedFuture(value));
    }
}
