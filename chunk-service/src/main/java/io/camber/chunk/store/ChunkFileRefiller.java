package io.camber.chunk.store;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a chunk file pool at its target from one daemon thread, so that creating a chunk on a Raft apply
 * thread is a rename and never a format plus fsync. A take that leaves the pool below the low-water mark
 * wakes it; it also looks every {@code recheck}, which is how it notices space an operator freed. It formats
 * only while the disk keeps the reserve ({@link SpaceGuard#roomForPoolFile()}), so a full pool never eats
 * the space the Raft logs need.
 */
public final class ChunkFileRefiller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkFileRefiller.class);

    private final ChunkFilePool pool;
    private final SpaceGuard space;
    private final int target;
    private final int lowWater;
    private final Duration recheck;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean failing;
    private volatile boolean waitingForSpace;

    /** A refiller keeping {@code target} files, woken when a take leaves fewer than {@code lowWater}. */
    public ChunkFileRefiller(ChunkFilePool pool, SpaceGuard space, int target, int lowWater, Duration recheck) {
        if (target < 0 || lowWater < 0 || lowWater > target) {
            throw new IllegalArgumentException("pool target " + target + " and low-water mark " + lowWater
                    + " must satisfy 0 <= low-water <= target");
        }
        this.pool = pool;
        this.space = space;
        this.target = target;
        this.lowWater = lowWater;
        this.recheck = recheck;
        this.thread = new Thread(this::run, "chunk-pool-refill");
        thread.setDaemon(true);
    }

    /** A low-water mark of half the target: refills come in batches, with half a pool of slack meanwhile. */
    public static int defaultLowWater(int target) {
        return (target + 1) / 2;
    }

    /**
     * Fills the pool on the calling thread as far as the disk allows (start-up, before copysets open), then
     * hands over to the background thread. Never throws for a full disk: the chunk server must start anyway.
     */
    public void start() {
        fill();
        log.info("event=pool_ready pool={} available={} target={}", pool.dir(), pool.available(), target);
        pool.onLowWater(lowWater, this::wake);
        thread.start();
    }

    /** Asks the background thread to look at the pool now; cheap, safe from any thread. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** Whether the background thread is running. */
    public boolean running() {
        return thread.isAlive();
    }

    /** Stops the background thread, letting a file being formatted finish. */
    @Override
    public void close() {
        closed = true;
        pool.onLowWater(0, () -> { });
        wake.release();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!closed) {
            try {
                boolean woken = wake.tryAcquire(recheck.toMillis(), TimeUnit.MILLISECONDS);
                // A round cut short by a full disk or a failed format resumes on the next look, not the next take.
                if (!woken && pool.available() >= lowWater && !waitingForSpace && !failing) {
                    continue;
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            fill();
        }
    }

    /** Formats files until the pool holds its target, the disk reaches the reserve, or a format fails. */
    private void fill() {
        int formatted = 0;
        while (pool.available() < target && !closed) {
            if (!space.roomForPoolFile()) {
                if (!waitingForSpace) {
                    waitingForSpace = true;
                    log.warn("event=pool_refill_waits_for_space pool={} available={} target={} reserve={}",
                            pool.dir(), pool.available(), target, space.reserveBytes());
                }
                break;
            }
            waitingForSpace = false;
            try {
                pool.formatOne();
                formatted++;
                failing = false;
            } catch (UncheckedIOException e) {
                // Most likely the disk filled between the check and the write; the next round tries again.
                if (!failing) {
                    failing = true;
                    log.warn("event=pool_refill_failed pool={} available={} error={}", pool.dir(),
                            pool.available(), e.toString());
                }
                break;
            }
        }
        if (pool.available() >= target) {
            waitingForSpace = false;
        }
        if (formatted > 0) {
            // Every round under load: a debug line; the warnings above are what an operator needs.
            log.debug("event=pool_refilled pool={} formatted={} available={}", pool.dir(), formatted,
                    pool.available());
        }
    }
}
