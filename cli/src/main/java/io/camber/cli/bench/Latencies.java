package io.camber.cli.bench;

import java.util.Arrays;

/**
 * Per-request latencies of one case, kept exactly in a growable long[] and sorted once for percentiles.
 * Not thread-safe: the bench records from its single issuing thread.
 */
public final class Latencies {

    private long[] nanos = new long[1024];
    private int count;
    private boolean sorted = true;

    public void record(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
        sorted = false;
    }

    /** An independent copy, for a reader on another thread. */
    public Latencies copy() {
        Latencies c = new Latencies();
        c.nanos = Arrays.copyOf(nanos, Math.max(count, 1));
        c.count = count;
        c.sorted = sorted;
        return c;
    }

    public int count() {
        return count;
    }

    /**
     * The nearest-rank percentile: the smallest recorded value that at least p percent of all values are at or
     * below, so p99 of 100 samples is the 99th smallest and p100 is the maximum.
     *
     * @throws IllegalStateException when nothing was recorded
     */
    public long percentileNanos(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " is outside (0, 100]");
        }
        if (count == 0) {
            throw new IllegalStateException("no latencies recorded");
        }
        if (!sorted) {
            Arrays.sort(nanos, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * count);
        return nanos[Math.max(rank, 1) - 1];
    }

    /** The percentile in milliseconds, or null when nothing completed. */
    public Double percentileMillis(double p) {
        return count == 0 ? null : percentileNanos(p) / 1e6;
    }
}
