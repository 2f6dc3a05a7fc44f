package io.camber.chunk.web;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.registration.ChunkServerBootstrap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.stereotype.Component;

/** Chunk-server gauges: copysets hosted and led, chunk bytes written, preallocated files left. */
@Component
@ConditionalOnBean(ChunkServerBootstrap.class)
public class ChunkMetrics {

    public ChunkMetrics(ChunkServerBootstrap bootstrap, MeterRegistry registry) {
        Gauge.builder("camber.chunk.copysets", bootstrap, b -> status(b).size())
                .description("copysets hosted by this chunk server").register(registry);
        Gauge.builder("camber.chunk.copysets.leading", bootstrap,
                b -> status(b).stream().filter(CopysetServer.CopysetStatus::leader).count())
                .description("copysets this chunk server leads").register(registry);
        FunctionCounter.builder("camber.chunk.written", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().ioTotals().bytesWritten())
                .baseUnit("bytes").description("chunk data bytes written to chunk files (all copysets)")
                .register(registry);
        FunctionCounter.builder("camber.chunk.writes", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().ioTotals().writes())
                .description("chunk writes applied (all copysets)").register(registry);
        FunctionCounter.builder("camber.chunk.reads", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().ioTotals().reads())
                .description("chunk reads served (all copysets)").register(registry);
        Gauge.builder("camber.chunk.pool.available", bootstrap, b -> b.pool() == null ? 0 : b.pool().available())
                .description("preallocated chunk files left in the pool").register(registry);
    }

    private static java.util.List<CopysetServer.CopysetStatus> status(ChunkServerBootstrap b) {
        return b.copysets() == null ? java.util.List.of() : b.copysets().status();
    }
}
