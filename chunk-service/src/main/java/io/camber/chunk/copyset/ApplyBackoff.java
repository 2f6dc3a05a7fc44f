package io.camber.chunk.copyset;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries the apply of a committed entry that failed on IO (a disk full on this replica only, an EIO) with
 * growing pauses on the apply thread, until it succeeds or the replica is closing.
 *
 * <p>Why not fail the entry: every replica must apply every committed entry, whole, in order, or the replicas
 * diverge; skipping it here, or answering it with an error here while the others applied it, would do exactly
 * that. Why not throw: Ratis closes the group for good when {@code applyTransaction} throws or fails, and the
 * same entry fails again after a restart. Waiting keeps the replica consistent: it falls behind, the other two
 * go on committing, and it catches up from the log once the disk has room again.
 */
final class ApplyBackoff {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyBackoff.class);

    /** Pauses between attempts, as a function the tests can replace. */
    interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    /** Thrown when the replica is closing while an entry still could not be applied. */
    static final class Abandoned extends RuntimeException {
        Abandoned(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String name;
    private final Duration first;
    private final Duration max;
    private final Sleeper sleeper;
    private volatile boolean stalled;

    ApplyBackoff(String name, Duration first, Duration max, Sleeper sleeper) {
        this.name = name;
        this.first = first;
        this.max = max;
        this.sleeper = sleeper;
    }

    /** Pauses from 50 ms doubling up to 2 s: short for a transient error, cheap for a long-full disk. */
    static ApplyBackoff of(String name) {
        return new ApplyBackoff(name, Duration.ofMillis(50), Duration.ofSeconds(2), p -> Thread.sleep(p.toMillis()));
    }

    /**
     * Runs {@code apply} until it returns, retrying after each {@link UncheckedIOException}. Other exceptions
     * (refusals, bugs, corrupt files) pass through at once.
     *
     * @throws Abandoned if {@code closing} turns true (or the thread is interrupted) before an attempt succeeds
     */
    <T> T run(long index, Supplier<T> apply, BooleanSupplier closing) {
        long started = 0;
        int attempts = 0;
        Duration pause = first;
        while (true) {
            try {
                T result = apply.get();
                if (attempts > 0) {
                    stalled = false;
                    LOG.info("event=apply_resumed copyset={} index={} attempts={} stalled_ms={}", name, index,
                            attempts + 1, (System.nanoTime() - started) / 1_000_000);
                }
                return result;
            } catch (UncheckedIOException e) {
                if (attempts++ == 0) {
                    started = System.nanoTime();
                    stalled = true;
                    LOG.error("event=apply_stalled copyset={} index={} error={} action=\"retrying until it succeeds;"
                            + " free space or fix the disk\"", name, index, String.valueOf(e.getCause() == null ? e : e.getCause()));
                }
                if (closing.getAsBoolean()) {
                    stalled = false;
                    throw new Abandoned("copyset " + name + " closed before entry " + index + " could be applied",
                            e);
                }
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    stalled = false;
                    throw new Abandoned("interrupted while retrying entry " + index + " of copyset " + name, e);
                }
                pause = pause.multipliedBy(2).compareTo(max) > 0 ? max : pause.multipliedBy(2);
            }
        }
    }

    /** Whether an entry is being retried right now. */
    boolean stalled() {
        return stalled;
    }
}
