package io.camber.client.fs;

import io.camber.common.api.PartitionInfo;
import io.camber.meta.client.CrossPartitionRename;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Sends commands and queries to the partition that must answer them and turns refusals into {@link FsException}.
 * A name held by a cross-partition rename (EBUSY, or EAGAIN from a lookup of its target) makes it finish the
 * renames that partition holds whose client is gone, then ask again with backoff until the busy budget is spent:
 * a live rename ends within milliseconds, a dead client's is aborted by the resolver once its ttl has run out.
 */
final class MetaRouter {
    private static final long FIRST_DELAY_MILLIS = 20;
    private static final long MAX_DELAY_MILLIS = 500;
    private static final long RESOLVE_AFTER_MILLIS = 80;

    private final PartitionDirectory partitions;
    private final CrossPartitionRename renames;
    private final LongSupplier clock;
    private final Duration busyBudget;

    MetaRouter(PartitionDirectory partitions, LongSupplier clock, Duration renameTtl, Duration busyBudget) {
        this.partitions = partitions;
        this.clock = clock;
        this.busyBudget = busyBudget;
        this.renames = new CrossPartitionRename(partitions::client, clock, renameTtl.toNanos());
    }

    PartitionDirectory partitions() {
        return partitions;
    }

    CrossPartitionRename renames() {
        return renames;
    }

    /** Nanoseconds since the epoch: the time commands carry. */
    long now() {
        return clock.getAsLong();
    }

    /** The partition holding ino (where its attributes live, and the names inside it when it is a directory). */
    CompletableFuture<PartitionInfo> holding(long ino) {
        return partitions.holding(ino);
    }

    /** Runs a command on the partition holding ino. */
    CompletableFuture<MetaResult> submit(long ino, MetaCommand command) {
        return holding(ino).thenCompose(p -> submit(p, command));
    }

    /**
     * Runs a command on a partition. Only EBUSY is retried: it is a refusal, so the command did not apply, whereas
     * an EAGAIN from the client (no leader after its own retries) leaves unknown whether it did.
     */
    CompletableFuture<MetaResult> submit(PartitionInfo p, MetaCommand command) {
        return timed(command.op(), retrying(p, () -> partitions.client(p).submit(command), false, deadline(),
                FIRST_DELAY_MILLIS));
    }

    /** Asks the partition holding ino. */
    CompletableFuture<MetaResult> query(long ino, MetaQuery query) {
        return holding(ino).thenCompose(p -> query(p, query));
    }

    /** Asks a partition; reads are safe to repeat, so EAGAIN is retried as well as EBUSY. */
    CompletableFuture<MetaResult> query(PartitionInfo p, MetaQuery query) {
        return timed(query.op(), retrying(p, () -> partitions.client(p).query(query), true, deadline(),
                FIRST_DELAY_MILLIS));
    }

    /** camber.fs.client.calls{op, outcome}: latency of each partition call as the mount saw it, retries included. */
    private static CompletableFuture<MetaResult> timed(String op, CompletableFuture<MetaResult> call) {
        long started = System.nanoTime();
        return call.whenComplete((r, e) -> {
            Throwable cause = e == null ? null : FsErrors.unwrap(e);
            String outcome = cause == null ? "OK" : cause instanceof FsException f ? f.error().name() : "EIO";
            Timer.builder("camber.fs.client.calls").tag("op", op).tag("outcome", outcome)
                    .register(Metrics.globalRegistry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
    }

    /**
     * Runs a multi-step call whose refusals leave nothing behind (a cross-partition rename rolls its prepared half
     * back), again while the partition answers EBUSY.
     */
    CompletableFuture<MetaResult> retryingBusy(PartitionInfo p, Supplier<CompletableFuture<MetaReply>> call) {
        return retrying(p, call, false, deadline(), FIRST_DELAY_MILLIS);
    }

    private long deadline() {
        return System.nanoTime() + busyBudget.toNanos();
    }

    private CompletableFuture<MetaResult> retrying(PartitionInfo p, Supplier<CompletableFuture<MetaReply>> call,
                                                   boolean read, long deadline, long delayMillis) {
        return call.get().thenCompose(reply -> {
            if (reply.isOk()) {
                return CompletableFuture.completedFuture(reply.result());
            }
            // A client Ratis closed sent nothing: the next call builds a new one and asks again.
            boolean closed = reply.error() == FsError.EAGAIN && partitions.closedClient(p.partitionId());
            boolean busy = closed || reply.error() == FsError.EBUSY || (read && reply.error() == FsError.EAGAIN);
            if (!busy || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) > deadline) {
                return CompletableFuture.failedFuture(FsException.of(reply.error(), reply.message()));
            }
            // A live rename ends within milliseconds: the first retries only wait. Resolving (a ResolveRename
            // command per pending rename of the partition) starts once the name stayed held a while.
            CompletableFuture<?> resolved = delayMillis < RESOLVE_AFTER_MILLIS ? CompletableFuture.completedFuture(null)
                    : FsErrors.guarded(() -> renames.resolve(p.partitionId()));
            return resolved
                    .exceptionally(e -> null) // resolving is a courtesy; the retry decides
                    .thenCompose(finished -> CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS)))
                    .thenCompose(waited -> retrying(p, call, read, deadline,
                            Math.min(MAX_DELAY_MILLIS, delayMillis * 2)));
        });
    }

    /** The result as the type the operation answers; anything else is a protocol mismatch (EIO). */
    static <T extends MetaResult> T as(Class<T> type, MetaResult result) {
        if (!type.isInstance(result)) {
            throw FsException.of(FsError.EIO, "a partition answered " + (result == null ? "nothing"
                    : result.getClass().getSimpleName()) + " where " + type.getSimpleName() + " was expected: "
                    + "client and meta-service versions differ");
        }
        return type.cast(result);
    }
}
