package io.camber.client.block;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Per-volume IO metrics: operations and latency histograms (camber.volume.io) and bytes (camber.volume.io.bytes). */
final class VolumeMetrics {
    private final MeterRegistry registry;
    private final Timer reads;
    private final Timer writes;
    private final Counter readBytes;
    private final Counter writeBytes;

    VolumeMetrics(MeterRegistry registry, String volume) {
        this.registry = registry;
        this.reads = timer(registry, volume, "read");
        this.writes = timer(registry, volume, "write");
        this.readBytes = Counter.builder("camber.volume.io.bytes").baseUnit("bytes").tag("volume", volume)
                .tag("op", "read").register(registry);
        this.writeBytes = Counter.builder("camber.volume.io.bytes").baseUnit("bytes").tag("volume", volume)
                .tag("op", "write").register(registry);
    }

    private static Timer timer(MeterRegistry registry, String volume, String op) {
        return Timer.builder("camber.volume.io").tag("volume", volume).tag("op", op).publishPercentileHistogram()
                .description("volume IO latency, failures included").register(registry);
    }

    <T> CompletableFuture<T> timeRead(int bytes, CompletableFuture<T> io) {
        return time(reads, readBytes, bytes, io);
    }

    <T> CompletableFuture<T> timeWrite(int bytes, CompletableFuture<T> io) {
        return time(writes, writeBytes, bytes, io);
    }

    private <T> CompletableFuture<T> time(Timer timer, Counter counter, int bytes, CompletableFuture<T> io) {
        Timer.Sample sample = Timer.start(registry);
        return io.whenComplete((v, e) -> {
            sample.stop(timer);
            if (e == null) {
                counter.increment(bytes);
            }
        });
    }

    void close() {
        List.of(reads, writes, readBytes, writeBytes).forEach(registry::remove);
    }
}
