package io.camber.cli.bench;

/**
 * One measured case as printed and as emitted with --json.
 *
 * @param cpuMicrosPerOp    CPU microseconds the chunk-service processes used per request; null when their CPU
 *                          time could not be read
 * @param diskPerClientByte for writes, bytes written to the disks of the chunk services' data directories per client
 *                          byte; null for reads or when /sys/block/&lt;dev&gt;/stat could not be read
 * @param errors            requests that failed, or reads whose data was not what the writes wrote
 */
public record BenchRow(String mode, String op, int sizeBytes, int depth, long ops, double seconds, double opsPerSec,
                       double mibPerSec, Double p50Ms, Double p99Ms, Double cpuMicrosPerOp, Double diskPerClientByte,
                       long errors) {

    /** A row computed from a case's counts: throughput over the wall time from first send to last completion. */
    public static BenchRow of(BenchPlan.BenchCase c, long ops, long elapsedNanos, Latencies latencies,
                              Double cpuMicrosPerOp, Double diskPerClientByte, long errors) {
        double seconds = elapsedNanos / 1e9;
        double opsPerSec = seconds > 0 ? ops / seconds : 0;
        return new BenchRow(c.mode().label(), c.op().label(), c.size(), c.depth(), ops, seconds, opsPerSec,
                opsPerSec * c.size() / (1024.0 * 1024.0), latencies.percentileMillis(50), latencies.percentileMillis(99),
                cpuMicrosPerOp, diskPerClientByte, errors);
    }
}
