package io.camber.cli.bench;

import io.camber.cli.CliFailure;
import io.camber.client.chunk.ChunkClient;
import io.camber.common.api.CopysetInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs every case of a plan against the copyset leaders and measures each one. */
final class ChunkBench {

    /** Volume 0 is unfenced, so the bench needs no volume and no epoch; a cluster data token lets it through. */
    private static final long VOLUME = 0;
    private static final long EPOCH = 0;
    /** Device writes below this per poll count as background noise (logs, heartbeats) when waiting for quiet. */
    private static final long QUIET_BYTES = 256 * 1024;

    private final BenchPlan plan;
    private final List<CopysetInfo> copysets;
    private final int chunks;
    private final DiskWrites disk;
    private final ProcessCpu cpu;
    private final PrintWriter progress;
    private final SplittableRandom random = new SplittableRandom(42);
    /** Every 4KiB block of every write carries the same bytes, so any aligned read of written data can be checked. */
    private final byte[] block = new byte[BenchPlan.ALIGNMENT];
    private boolean stuck;
    private final String dataToken;

    /** dataToken: a cluster data token from the MDS (chunk servers refuse requests without one); null for none. */
    ChunkBench(BenchPlan plan, List<CopysetInfo> copysets, int chunks, DiskWrites disk, ProcessCpu cpu,
               PrintWriter progress, String dataToken) {
        this.dataToken = dataToken;
        this.plan = plan;
        this.copysets = copysets;
        this.chunks = chunks;
        this.disk = disk;
        this.cpu = cpu;
        this.progress = progress;
        new SplittableRandom(7).nextBytes(block);
    }

    List<BenchRow> run(boolean keep) throws InterruptedException, IOException {
        long inFlight = 2L * plan.largestDepth() * plan.largestSize();
        ExecutorService issuer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-issuer");
            t.setDaemon(true);
            return t;
        });
        List<BenchRow> rows = new ArrayList<>();
        ChunkClient client = new ChunkClient(inFlight);
        client.authorize(dataToken);
        try {
            for (BenchPlan.CopysetMode mode : plan.modes()) {
                BenchTargets targets = BenchTargets.of(mode, copysets, chunks);
                prefill(client, mode, targets);
                for (int size : plan.sizes()) {
                    targets.clearWritten();
                    ByteBuffer payload = pattern(size);
                    for (BenchPlan.BenchCase c : plan.cases()) {
                        if (c.mode() == mode && c.size() == size) {
                            rows.add(measure(c, client, targets, payload, issuer));
                            if (stuck) {
                                progress.println("bench: requests went unanswered: stopping; the rows so far follow."
                                        + " Check `camber playground status` and the chunk-service logs");
                                progress.flush();
                                return rows;
                            }
                        }
                    }
                }
                if (!keep) {
                    join(targets.targets().stream().map(t -> client.delete(t.copyset(), VOLUME, EPOCH, t.chunkId()))
                            .toList());
                }
            }
            client.close();
        } finally {
            // closing a client with requests stuck in it blocks; the process exits right after anyway
            issuer.shutdownNow();
        }
        return rows;
    }

    /** Creates every bench chunk before measuring, so taking files from the chunk pool is not in any case. */
    private void prefill(ChunkClient client, BenchPlan.CopysetMode mode, BenchTargets targets) throws InterruptedException {
        progress.println("bench: " + mode.label() + ": creating " + targets.targets().size() + " chunks in "
                + targets.targets().stream().map(t -> t.copyset().copysetId()).distinct().count() + " copysets");
        progress.flush();
        ByteBuffer one = pattern(BenchPlan.ALIGNMENT);
        join(targets.targets().stream()
                .map(t -> client.write(t.copyset(), VOLUME, EPOCH, t.chunkId(), 0, one.duplicate())).toList());
        quietDisk();
    }

    private BenchRow measure(BenchPlan.BenchCase c, ChunkClient client, BenchTargets targets, ByteBuffer payload,
                             ExecutorService issuer) throws InterruptedException {
        boolean write = c.op() == BenchPlan.Op.WRITE;
        OptionalLong before = write ? disk.total() : OptionalLong.empty();
        OptionalLong cpuBefore = cpu.totalNanos();
        ClosedLoop loop = new ClosedLoop(c.depth(), plan.duration(), plan.ops(),
                write ? () -> write(client, targets, payload) : () -> read(client, targets, payload), issuer);
        ClosedLoop.Result r = loop.run();
        Double ratio = null;
        if (write) {
            // followers apply after the leader answered: wait until their chunk-file writes are in the count
            ratio = DiskWrites.ratio(before, quietDisk(), r.ops() * c.size());
        }
        // after the quiet wait for writes, so the followers' apply is charged to the requests that caused it
        Double cpuPerOp = ProcessCpu.microsPerOp(cpuBefore, cpu.totalNanos(), r.ops());
        stuck = r.stuck() > 0;
        BenchRow row = BenchRow.of(c, r.ops(), r.elapsedNanos(), r.latencies(), cpuPerOp, ratio,
                r.errors() + r.stuck());
        progress.println(String.format(Locale.ROOT, "bench: %s %s %d QD%d: %d ops, %.0f ops/s, %d errors%s%s",
                row.mode(), row.op(), c.size(), c.depth(), row.ops(), row.opsPerSec(), row.errors(),
                stuck ? " (" + r.stuck() + " unanswered)" : "",
                r.firstError() == null ? "" : " (first: " + describe(r.firstError()) + ")"));
        progress.flush();
        return row;
    }

    private CompletableFuture<?> write(ChunkClient client, BenchTargets targets, ByteBuffer payload) {
        BenchTargets.Position p = targets.randomWrite(random, payload.remaining());
        return client.write(p.target().copyset(), VOLUME, EPOCH, p.target().chunkId(), p.offset(), payload.duplicate())
                .thenRun(() -> targets.wrote(p));
    }

    private CompletableFuture<?> read(ChunkClient client, BenchTargets targets, ByteBuffer expected) {
        BenchTargets.Position p = targets.randomRead(random);
        if (p == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no write succeeded, nothing to read"));
        }
        return client.read(p.target().copyset(), p.target().chunkId(), p.offset(), expected.remaining())
                .thenAccept(data -> {
                    if (!data.equals(expected.duplicate())) {
                        throw new CompletionException(new IllegalStateException("chunk " + p.target().chunkId()
                                + " offset " + p.offset() + " did not read back what was written"));
                    }
                });
    }

    /** Polls the disk counter until it moves by less than background noise, at most 5 s; empty if unreadable. */
    private OptionalLong quietDisk() throws InterruptedException {
        OptionalLong last = disk.total();
        for (int i = 0; i < 20 && last.isPresent(); i++) {
            Thread.sleep(250);
            OptionalLong now = disk.total();
            if (now.isEmpty() || now.getAsLong() - last.getAsLong() < QUIET_BYTES) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private ByteBuffer pattern(int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        while (b.hasRemaining()) {
            b.put(block);
        }
        return b.flip().asReadOnlyBuffer();
    }

    private static void join(List<? extends CompletableFuture<?>> futures) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw new CliFailure(CliFailure.REFUSED, "bench: a copyset refused a request (" + describe(e)
                    + "): check `camber playground status` and the chunk-service logs");
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
