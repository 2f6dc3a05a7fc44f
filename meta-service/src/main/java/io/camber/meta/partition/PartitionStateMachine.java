package io.camber.meta.partition;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.protocol.MetaCodec;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.server.raft.RocksStateMachine;
import io.camber.server.rocks.RocksStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One replica of a partition: applies each committed command to RocksDB through {@link PartitionCommands} and
 * answers queries. Each applied command is timed as {@code camber.meta.ops} tagged with its op and outcome.
 */
public final class PartitionStateMachine extends RocksStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionStateMachine.class);

    private final MeterRegistry metrics;

    public PartitionStateMachine(Path dataDir, long memoryBudget, MeterRegistry metrics) {
        super(dataDir, PartitionSchema.FAMILIES, memoryBudget);
        this.metrics = metrics;
    }

    @Override
    protected byte[] apply(byte[] bytes, RocksStore store, RocksStore.Batch batch, long index) {
        return timed(() -> {
            MetaCommand command = MetaCodec.decodeCommand(bytes);
            return new Run(command.op(), () -> PartitionCommands.apply(command, store, batch, index));
        });
    }

    @Override
    protected byte[] query(byte[] bytes, RocksStore store) {
        return timed(() -> {
            MetaQuery query = MetaCodec.decodeQuery(bytes);
            return new Run(query.op(), () -> PartitionCommands.query(query, store));
        });
    }

    /** A decoded request: its op name (a metric tag) and what running it answers. */
    private record Run(String op, Supplier<MetaResult> body) {
    }

    /** Decodes, runs and encodes one request, timing it under its op with its outcome (errno or OK). */
    private byte[] timed(Supplier<Run> decode) {
        long started = System.nanoTime();
        String op = "unknown";
        FsError outcome = FsError.EIO;
        try {
            Run run = decode.get();
            op = run.op();
            byte[] reply = MetaCodec.encode(MetaReply.ok(run.body().get()));
            outcome = FsError.OK;
            return reply;
        } catch (FsException e) {
            outcome = e.error();
            throw e;
        } catch (IllegalArgumentException e) {
            outcome = FsError.EINVAL;
            throw e;
        } finally {
            record(op, outcome, started);
        }
    }

    private void record(String op, FsError outcome, long started) {
        Timer.builder("camber.meta.ops").description("file-system operations applied or answered by this replica")
                .tag("op", op).tag("outcome", outcome.name()).register(metrics)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    protected byte[] failureReply(RuntimeException e) {
        if (e instanceof FsException fe) {
            return MetaCodec.encode(MetaReply.failed(fe.error(), fe.getMessage()));
        }
        if (e instanceof IllegalArgumentException) {
            return MetaCodec.encode(MetaReply.failed(FsError.EINVAL, "malformed request: " + e.getMessage()));
        }
        LOG.error("event=partition_apply_failed error={}", e.toString(), e);
        return MetaCodec.encode(MetaReply.failed(FsError.EIO, "the partition failed to apply the request: " + e));
    }

    @Override
    protected void loaded(RocksStore store) {
        // Nothing cached in memory: every command reads RocksDB, so a swapped-in snapshot needs no rebuild.
    }

    /**
     * The partition's range and counters; null before InitPartition and while the store is closed (starting,
     * installing a snapshot, stopping). Read under the store lock: heartbeats and the GC call this from their own
     * threads, and a read of a RocksDB closed under it crashes the process.
     */
    public io.camber.meta.protocol.PartitionStats stats() {
        return readLocal(PartitionCommands::stats).orElse(null);
    }

    /** SHA-256 of the whole partition state, to compare replicas; null while the store is closed. */
    public String digest() {
        return readLocal(RocksStore::digest).orElse(null);
    }
}
