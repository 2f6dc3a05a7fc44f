package io.camber.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * CPU time (user plus system, every thread) used so far by a set of processes, to charge a case's requests with
 * what the servers spent on them. Per-request CPU is steadier than throughput on a shared machine.
 */
final class ProcessCpu {

    private final List<Long> pids;
    private final LongFunction<Optional<Duration>> cpuOf;

    /** On Linux the JDK reads utime+stime from /proc/&lt;pid&gt;/stat for this. */
    ProcessCpu(List<Long> pids) {
        this(pids, pid -> ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()));
    }

    ProcessCpu(List<Long> pids, LongFunction<Optional<Duration>> cpuOf) {
        this.pids = List.copyOf(pids);
        this.cpuOf = cpuOf;
    }

    /** The sum over all pids in nanoseconds, or empty when there are none or one is gone or unreadable. */
    OptionalLong totalNanos() {
        if (pids.isEmpty()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (long pid : pids) {
            Optional<Duration> cpu = cpuOf.apply(pid);
            if (cpu.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += cpu.get().toNanos();
        }
        return OptionalLong.of(sum);
    }

    /** CPU microseconds per request between two samples, or null when either is unknown or no request completed. */
    static Double microsPerOp(OptionalLong before, OptionalLong after, long ops) {
        if (before.isEmpty() || after.isEmpty() || ops <= 0) {
            return null;
        }
        return (after.getAsLong() - before.getAsLong()) / 1e3 / ops;
    }
}
