package io.camber.client.chunk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the payload bytes in flight without ever blocking a thread: a request that does not fit waits as
 * a future, completed in arrival order as replies free room. Callers may be Ratis, Netty or HTTP client
 * threads, which must not wait for permits that only their own replies would release.
 */
final class InFlightBudget {
    private record Waiter(long bytes, CompletableFuture<Void> ready) {
    }

    private final long capacity;
    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private long available;

    InFlightBudget(long capacity) {
        this.capacity = capacity;
        this.available = capacity;
    }

    /** Completes once bytes (capped at the capacity, so any request fits alone) are reserved. */
    CompletableFuture<Void> acquire(long bytes) {
        long want = Math.min(bytes, capacity);
        synchronized (this) {
            if (waiting.isEmpty() && available >= want) {
                available -= want;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> ready = new CompletableFuture<>();
            waiting.add(new Waiter(want, ready));
            return ready;
        }
    }

    /** Gives back what acquire(bytes) reserved and lets waiters in, first come first served. */
    void release(long bytes) {
        long got = Math.min(bytes, capacity);
        Deque<CompletableFuture<Void>> admitted = new ArrayDeque<>();
        synchronized (this) {
            available += got;
            while (!waiting.isEmpty() && available >= waiting.peek().bytes()) {
                Waiter w = waiting.poll();
                available -= w.bytes();
                admitted.add(w.ready());
            }
        }
        // Completed outside the lock: each admitted request goes on to send on this thread.
        admitted.forEach(f -> f.complete(null));
    }

    /** Bytes free right now; for tests. */
    synchronized long available() {
        return available;
    }
}
