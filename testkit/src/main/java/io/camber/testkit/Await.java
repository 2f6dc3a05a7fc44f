package io.camber.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling waits for tests: a condition or a value read again every 100 ms until it holds or the time is up. */
public final class Await {
    private static final long POLL_MILLIS = 100;

    private Await() {
    }

    /** Waits until condition holds; fails with what (and the time waited) when it does not within timeout. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            pause();
        }
    }

    /** Reads until done accepts the value and answers it; fails with the last value read when time is up. */
    public static <T> T value(Supplier<T> read, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + "; last: " + last);
            }
            pause();
            last = read.get();
        }
        return last;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
