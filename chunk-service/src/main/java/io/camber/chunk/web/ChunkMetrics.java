package io.camber.chunk.web;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.registration.ChunkServerBootstrap;
import io.camber.common.chunk.DataFrame;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.stereotype.Component;

/**
 * Chunk-server gauges: copysets hosted, led and stalled, chunk bytes written, the chunk file pool, disk space
 * and writes refused for lack of it.
 */
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
        FunctionCounter.builder("camber.chunk.garbage.deleted", bootstrap,
                b -> b.garbage() == null ? 0 : b.garbage().deletedChunks())
                .description("chunks of deleted volumes this server deleted as its copysets' leader")
                .register(registry);
        FunctionCounter.builder("camber.chunk.reads", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().ioTotals().reads())
                .description("chunk reads served (all copysets)").register(registry);
        Gauge.builder("camber.chunk.pool.available", bootstrap, b -> b.pool() == null ? 0 : b.pool().available())
                .baseUnit("files").description("preallocated chunk files left in the pool").register(registry);
        FunctionCounter.builder("camber.chunk.pool.formatted", bootstrap,
                b -> b.pool() == null ? 0 : b.pool().formattedInBackground())
                .baseUnit("files").description("chunk files formatted ahead of need (start-up and background refill)")
                .register(registry);
        FunctionCounter.builder("camber.chunk.pool.formatted.on.demand", bootstrap,
                b -> b.pool() == null ? 0 : b.pool().formattedOnDemand())
                .baseUnit("files").description("chunk files formatted on a Raft apply thread because the pool was"
                        + " empty (each one stalls its copyset; should stay at zero)").register(registry);
        Gauge.builder("camber.chunk.disk.usable", bootstrap, ChunkMetrics::usable)
                .baseUnit("bytes").description("space left on the chunk server's disk").register(registry);
        Gauge.builder("camber.chunk.disk.reserved", bootstrap, b -> b.space() == null ? 0 : b.space().reserveBytes())
                .baseUnit("bytes").description("space writes never use (kept for the Raft logs)").register(registry);
        FunctionCounter.builder("camber.chunk.writes.refused.no.space", bootstrap,
                b -> b.space() == null ? 0 : b.space().refused())
                .description("writes refused with NO_SPACE because the disk was full").register(registry);
        Gauge.builder("camber.chunk.copysets.stalled", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().stalledApplies())
                .description("copysets whose replica here retries an entry it cannot apply (disk full or failing)")
                .register(registry);
        FunctionCounter.builder("camber.chunk.corrupt.found", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().integrity().foundPages())
                .baseUnit("pages").description("4 KiB pages of a replica found failing their CRC32C or disagreeing"
                        + " with the other replicas (by reads and the scrub, on copysets led here)").register(registry);
        FunctionCounter.builder("camber.chunk.corrupt.repaired", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().integrity().repairedPages())
                .baseUnit("pages").description("bad pages rewritten with a good replica's bytes").register(registry);
        Gauge.builder("camber.chunk.corrupt.unrepaired", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().integrity().unrepairedPages())
                .baseUnit("pages").description("bad pages found and not repaired yet").register(registry);
        FunctionCounter.builder("camber.chunk.catchup.fetched", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().catchUp().bytesFetched())
                .baseUnit("bytes").description("chunk file bytes replicas here fetched from their leaders' snapshots"
                        + " to catch up (new replicas of a recovery or a balance, replicas that were away)")
                .register(registry);
        FunctionCounter.builder("camber.chunk.catchup.snapshots", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().catchUp().snapshotsFetched())
                .description("leader snapshots fetched completely and installed by replicas here").register(registry);
        FunctionCounter.builder("camber.chunk.scrub.read", bootstrap,
                b -> b.copysets() == null ? 0 : b.copysets().integrity().scrubbedBytes())
                .baseUnit("bytes").description("bytes compared by the scrub, summed over the replicas read")
                .register(registry);
        for (DataFrame.Kind kind : DataFrame.Kind.values()) {
            for (DataFrame.Status status : DataFrame.Status.values()) {
                FunctionCounter.builder("camber.chunk.data.requests", bootstrap.dataRequests(),
                                h -> h.answered(kind, status))
                        .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                        .tag("status", status.name().toLowerCase(java.util.Locale.ROOT))
                        .description("client requests answered on the data port, by kind and outcome (not_leader"
                                + " and retry send the client elsewhere)").register(registry);
            }
        }
    }

    private static double usable(ChunkServerBootstrap b) {
        try {
            return b.space() == null ? Double.NaN : b.space().usableBytes();
        } catch (java.io.UncheckedIOException e) {
            return Double.NaN;
        }
    }

    private static java.util.List<CopysetServer.CopysetStatus> status(ChunkServerBootstrap b) {
        return b.copysets() == null ? java.util.List.of() : b.copysets().status();
    }
}
