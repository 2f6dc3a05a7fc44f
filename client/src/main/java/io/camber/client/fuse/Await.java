package io.camber.client.fuse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the library's answers on libfuse's own worker threads (native threads, never an event loop), for at
 * most the mount's operation timeout: a process stuck in an uninterruptible FUSE call is worse than an EIO.
 */
record Await(Duration timeout) {

    <T> T on(CompletableFuture<T> future) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new IllegalStateException("no answer from the cluster within " + timeout
                    + ": check 'camber fs info' for partitions without a leader", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }
}
