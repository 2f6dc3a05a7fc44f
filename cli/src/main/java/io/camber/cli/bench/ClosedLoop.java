package io.camber.cli.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps exactly {@code depth} requests in flight until a deadline or an operation count is reached: each
 * completion sends the next request. Completions are handled on one issuing thread, so latencies and counters
 * need no locks and no request is sent from a transport thread.
 */
final class ClosedLoop {

    private final int depth;
    private final Duration duration;
    private final long ops;
    private final Supplier<CompletableFuture<?>> request;
    private final Executor issuer;
    private final Latencies latencies = new Latencies();
    private final CountDownLatch finished;
    private long deadline;
    private long issued;
    private long completed;
    private long errors;
    private long lastCompletion;
    private Throwable firstError;

    private record Done(long at, Throwable error) {
    }

    /** The outcome of one run. */
    record Result(long ops, long errors, long elapsedNanos, Latencies latencies, Throwable firstError, long stuck) {
    }

    /** A loop bounded by duration when it is not null, else by ops requests. */
    ClosedLoop(int depth, Duration duration, long ops, Supplier<CompletableFuture<?>> request, Executor issuer) {
        this.depth = depth;
        this.duration = duration;
        this.ops = ops;
        this.request = request;
        this.issuer = issuer;
        this.finished = new CountDownLatch(depth);
    }

    /**
     * Runs the loop and waits for the last request. Requests still unanswered 30 s after the bound are reported
     * as stuck rather than waited for: the chunk client retries a request for about 15 s, so these are lost.
     */
    Result run() throws InterruptedException {
        long start = System.nanoTime();
        deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        lastCompletion = start;
        issuer.execute(() -> {
            for (int i = 0; i < depth; i++) {
                next();
            }
        });
        long bound = duration == null ? TimeUnit.MINUTES.toNanos(10) : duration.toNanos();
        if (!finished.await(bound + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS)) {
            // read the counters on the issuer, which owns them, and stop it from sending more
            CompletableFuture<Result> snapshot = CompletableFuture.supplyAsync(() -> {
                deadline = 0;
                return new Result(completed, errors, lastCompletion - start, latencies.copy(), firstError,
                        issued - completed - errors);
            }, issuer);
            return snapshot.join();
        }
        // happens-before through the latch: every counter was last written before a countDown
        return new Result(completed, errors, lastCompletion - start, latencies, firstError, 0);
    }

    private void next() {
        if (deadline == 0) {
            return; // the run gave up on this loop
        }
        if (issued >= (duration == null ? ops : Long.MAX_VALUE) || System.nanoTime() >= deadline) {
            finished.countDown();
            return;
        }
        issued++;
        long sent = System.nanoTime();
        CompletableFuture<?> f;
        try {
            f = request.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        // the completion time is taken on the completing thread, so the hop to the issuer does not count
        f.handle((ok, error) -> new Done(System.nanoTime(), error)).thenAcceptAsync(done -> {
            lastCompletion = Math.max(lastCompletion, done.at());
            if (done.error() == null) {
                completed++;
                latencies.record(done.at() - sent);
            } else {
                errors++;
                if (firstError == null) {
                    firstError = done.error();
                }
            }
            next();
        }, issuer);
    }
}
