package io.camber.testkit;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.copyset.CopysetStateMachine;
import io.camber.client.chunk.ChunkClient;
import io.camber.common.api.CopysetInfo;
import io.camber.common.chunk.CopysetIds;
import io.camber.testkit.MiniCluster.ChunkNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Chunk writes under load on MDS + 3 chunk services in one JVM: many threads and copysets, a replica
 * stopped and restarted mid-workload; every acknowledged byte reads back and replicas match exactly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChunkWorkloadIT {
    private static final int CHUNK = 1024 * 1024;
    private static final int PAGE = 4096;
    private static final int COPYSETS = 24;
    private static final int WINDOW = 8;
    private static final long VOLUME = 31;
    private static final long EPOCH = 1;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static MiniCluster cluster;
    private static List<CopysetInfo> copysets;
    private static ChunkClient client;

    @BeforeAll
    static void start() throws Exception {
        // Leaders purge up to each snapshot, not only up to what every replica has: a stopped replica then falls
        // behind a purge and must catch up by snapshot install, the path this test exercises (ChunkKillIT covers the
        // default, where the log is kept for it).
        cluster = MiniCluster.builder().mds(1).chunkServers(3).chunkSize(CHUNK).copysets(COPYSETS)
                .chunkProperty("camber.chunk.raft.retain-for-followers", false).start();
        AdminHttp http = new AdminHttp(cluster.url());
        copysets = List.of(JsonMapper.builder().build().readValue(http.get("/api/v1/copysets").raw(),
                CopysetInfo[].class));
        assertThat(copysets).hasSize(COPYSETS);
        awaitCopysets(Duration.ofSeconds(60));
        client = new ChunkClient(128L << 20);
        client.authorize(cluster.clusterDataToken());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void tenThousandRandomPiecesFromSeveralThreadsReadBackAndReplicasMatch() throws Exception {
        // 4 threads x 64 chunks: a 256 MiB model; chunk i lives in copyset i % 24, so all copysets take writes.
        Workload w = new Workload(copysets, 100_000, 4, 64);
        long started = System.nanoTime();
        w.run(10_000 / 4, Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("ChunkWorkloadIT write phase: %d writes, %.1f MiB in %.2f s: %.0f ops/s, %.1f MiB/s,"
                        + " %d chunks touched%n", w.ops.sum(), w.bytes.sum() / 1048576.0, seconds,
                w.ops.sum() / seconds, w.bytes.sum() / 1048576.0 / seconds, w.model.size());
        assertThat(w.ops.sum()).isEqualTo(10_000);
        assertThat(w.model.keySet().stream().map(w::copysetOf).distinct().count())
                .as("copysets the workload reached").isEqualTo(COPYSETS);
        assertReadsBack(w);
        assertReplicasIdentical(w);
    }

    @Test
    @Order(2)
    void aReplicaStoppedMidWorkloadCatchesUpAndMatches() throws Exception {
        // Few copysets take all the writes so that their logs pass snapshot threshold and segment size quickly.
        List<CopysetInfo> targets = copysets.subList(0, 4);
        Workload w = new Workload(targets, 200_000, 2, 16);
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<?> running = background.submit(() -> {
            w.run(Long.MAX_VALUE, Duration.ofMinutes(5));
            return null;
        });
        try {
            await(() -> alive(running) && w.ops.sum() > 0, Duration.ofSeconds(30), "workload did not start");
            sleepMillis(2000);
            ChunkNode victim = cluster.chunkServers().get(1);
            Map<CopysetInfo, CopysetStateMachine> victimMachines = new HashMap<>();
            targets.forEach(c -> victimMachines.put(c, machine(victim, c)));
            cluster.stop(victim);
            long opsAtStop = w.ops.sum();
            Map<CopysetInfo, Long> appliedAtStop = new HashMap<>();
            victimMachines.forEach((c, sm) -> appliedAtStop.put(c, sm.getLastAppliedTermIndex().getIndex()));
            long stoppedAt = System.nanoTime();
            // Keep writing until the live replicas purged their logs past what the stopped one has, so it
            // can only catch up from a snapshot.
            await(() -> alive(running) && System.nanoTime() - stoppedAt > 3e9
                            && !purgedPast(victim, appliedAtStop).isEmpty(), Duration.ofSeconds(90),
                    "no copyset purged its log past the stopped replica's index: raise writes per copyset or"
                            + " lower the snapshot threshold in MiniCluster");
            List<CopysetInfo> mustInstall = purgedPast(victim, appliedAtStop);
            long outageOps = w.ops.sum() - opsAtStop;
            System.out.printf("ChunkWorkloadIT outage: %d writes with 2 of 3 replicas in %.1f s; %d copysets"
                    + " purged past the stopped replica%n", outageOps, (System.nanoTime() - stoppedAt) / 1e9,
                    mustInstall.size());
            assertThat(outageOps).as("writes acknowledged while a replica was down").isGreaterThan(0);
            assertThat(w.failure.get()).as("first failed write").isNull();

            cluster.restart(victim);
            long opsAtRestart = w.ops.sum();
            await(() -> alive(running) && w.ops.sum() > opsAtRestart + 200, Duration.ofSeconds(60),
                    "writes stalled after the restart");
            w.stop.set(true);
            running.get(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            awaitCopysets(Duration.ofSeconds(60));

            assertReadsBack(w);
            assertReplicasIdentical(w);
            long installs = targets.stream().mapToLong(c -> machine(victim, c).snapshotInstalls()).sum();
            System.out.printf("ChunkWorkloadIT restart: %d writes in total, %d snapshot installs on the restarted"
                    + " replica%n", w.ops.sum(), installs);
            for (CopysetInfo c : mustInstall) {
                assertThat(machine(victim, c).snapshotInstalls())
                        .as("snapshot installs of copyset %d on the restarted replica", c.copysetId()).isPositive();
            }
        } finally {
            w.stop.set(true);
            background.shutdownNow();
        }
    }

    /** True while the background workload runs; its failure fails the test at once instead of at a timeout. */
    private static boolean alive(Future<?> workload) {
        if (workload.isDone()) {
            try {
                workload.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError("the background workload failed: " + e.getCause(), e.getCause());
            }
            throw new AssertionError("the background workload ended before it was told to stop");
        }
        return true;
    }

    /** Random 4 KiB-aligned pieces from several threads, each owning its chunks, and the bytes they should hold. */
    private static final class Workload {
        final List<CopysetInfo> targets;
        final long firstChunk;
        final int threads;
        final int chunksPerThread;
        final Map<Long, byte[]> model = new ConcurrentHashMap<>();
        final LongAdder ops = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final AtomicBoolean stop = new AtomicBoolean();
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();

        Workload(List<CopysetInfo> targets, long firstChunk, int threads, int chunksPerThread) {
            this.targets = targets;
            this.firstChunk = firstChunk;
            this.threads = threads;
            this.chunksPerThread = chunksPerThread;
        }

        CopysetInfo copysetOf(long chunkId) {
            return targets.get((int) ((chunkId - firstChunk) % targets.size()));
        }

        /** Runs the writer threads until each sent writesPerThread (or stop is set) and all were acknowledged. */
        void run(long writesPerThread, Duration timeout) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        write(thread, writesPerThread);
                        return null;
                    }));
                }
                for (Future<?> f : writers) {
                    try {
                        f.get(timeout.toSeconds(), TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        failure.compareAndSet(null, e.getCause());
                        throw new AssertionError("a writer failed: " + e.getCause(), e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private void write(int thread, long writes) throws Exception {
            Random random = new Random(firstChunk + thread);
            Map<Long, CompletableFuture<Void>> lastWrite = new HashMap<>();
            ArrayDeque<CompletableFuture<Void>> window = new ArrayDeque<>();
            for (long i = 0; i < writes && !stop.get(); i++) {
                long chunkId = firstChunk + (long) thread * chunksPerThread + random.nextInt(chunksPerThread);
                // 4 KiB * 2^min(a, b), a and b uniform in 0..8: mostly small pieces, 1 MiB one time in 81.
                int length = PAGE << Math.min(random.nextInt(9), random.nextInt(9));
                long offset = (long) PAGE * random.nextInt((CHUNK - length) / PAGE + 1);
                byte[] data = new byte[length];
                random.nextBytes(data);
                // Writes in flight may be applied in any order, so a chunk has at most one: the model is
                // updated in the order the copyset applies the writes, whatever they overlap.
                CompletableFuture<Void> previous = lastWrite.remove(chunkId);
                if (previous != null) {
                    await(previous, "write to chunk " + chunkId);
                }
                System.arraycopy(data, 0, model.computeIfAbsent(chunkId, id -> new byte[CHUNK]), (int) offset, length);
                CompletableFuture<Void> sent = client.write(copysetOf(chunkId), VOLUME, EPOCH, chunkId, offset,
                        ByteBuffer.wrap(data));
                lastWrite.put(chunkId, sent);
                window.add(sent);
                while (window.size() >= WINDOW) {
                    await(window.poll(), "write");
                }
                ops.increment();
                bytes.add(length);
            }
            while (!window.isEmpty()) {
                await(window.poll(), "write");
            }
        }
    }

    /** Reads every chunk the workload touched through the client and compares it with the model, zeros too. */
    private static void assertReadsBack(Workload w) throws Exception {
        ArrayDeque<Map.Entry<Long, CompletableFuture<ByteBuffer>>> window = new ArrayDeque<>();
        for (Map.Entry<Long, byte[]> e : new TreeMap<>(w.model).entrySet()) {
            window.add(Map.entry(e.getKey(), client.read(w.copysetOf(e.getKey()), e.getKey(), 0, CHUNK)));
            if (window.size() >= WINDOW) {
                checkRead(w, window.poll());
            }
        }
        while (!window.isEmpty()) {
            checkRead(w, window.poll());
        }
    }

    private static void checkRead(Workload w, Map.Entry<Long, CompletableFuture<ByteBuffer>> read) throws Exception {
        byte[] actual = bytes(await(read.getValue(), "read of chunk " + read.getKey()));
        assertSameBytes("chunk " + read.getKey() + " read through the client", w.model.get(read.getKey()), actual);
    }

    /** Every copyset, every chunk file: all replicas hold the same bytes once they applied the same index. */
    private static void assertReplicasIdentical(Workload w) throws Exception {
        for (CopysetInfo c : copysets) {
            List<CopysetStateMachine> replicas = cluster.chunkServers().stream().map(n -> machine(n, c)).toList();
            await(() -> replicas.stream().map(r -> r.getLastAppliedTermIndex().getIndex()).distinct().count() == 1,
                    Duration.ofSeconds(60), "replicas of copyset " + c.copysetId() + " did not apply the same index");
            List<String> names = fileNames(replicas.get(0));
            for (CopysetStateMachine r : replicas) {
                assertThat(fileNames(r)).as("chunk files of copyset %d", c.copysetId()).isEqualTo(names);
            }
            for (String name : names) {
                long chunkId = Long.parseLong(name);
                byte[] first = bytes(replicas.get(0).store().read(chunkId, 0, CHUNK));
                for (int i = 1; i < replicas.size(); i++) {
                    assertSameBytes("chunk " + chunkId + " of copyset " + c.copysetId() + " on replica " + i,
                            first, bytes(replicas.get(i).store().read(chunkId, 0, CHUNK)));
                }
                if (w.model.containsKey(chunkId)) {
                    assertSameBytes("chunk " + chunkId + " in the replicas' files", w.model.get(chunkId), first);
                }
            }
        }
        long files = copysets.stream().mapToLong(c -> fileNames(machine(cluster.chunkServers().get(0), c)).stream()
                .filter(n -> w.model.containsKey(Long.parseLong(n))).count()).sum();
        assertThat(files).as("chunk files the workload created").isEqualTo(w.model.size());
    }

    /** Copysets whose live replicas' Raft logs all start after the index the stopped replica applied. */
    private static List<CopysetInfo> purgedPast(ChunkNode stopped, Map<CopysetInfo, Long> appliedAtStop) {
        List<CopysetInfo> out = new ArrayList<>();
        for (Map.Entry<CopysetInfo, Long> e : appliedAtStop.entrySet()) {
            boolean all = cluster.chunkServers().stream().filter(n -> n != stopped).allMatch(n ->
                    logStart(n, e.getKey()).orElse(0) > e.getValue() + 1);
            if (all) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** The first index of a copyset's Raft log on a node, from its segment file names (log_S-E, log_inprogress_S). */
    private static OptionalLong logStart(ChunkNode n, CopysetInfo c) {
        Path current = n.dataDir.resolve("raft")
                .resolve(CopysetIds.groupUuid(c.logicalPoolId(), c.copysetId()).toString()).resolve("current");
        try (Stream<Path> files = Files.list(current)) {
            return files.map(p -> p.getFileName().toString()).filter(s -> s.startsWith("log_"))
                    .mapToLong(s -> Long.parseLong(s.replace("log_inprogress_", "").replace("log_", "").split("-")[0]))
                    .min();
        } catch (IOException | RuntimeException e) {
            // Segments roll and get purged while we list: ask again on the next poll.
            return OptionalLong.empty();
        }
    }

    /** Waits until every chunk server hosts every copyset and each copyset has one leader. */
    private static void awaitCopysets(Duration timeout) {
        await(() -> {
            List<List<CopysetServer.CopysetStatus>> all = cluster.chunkServers().stream()
                    .map(n -> n.bootstrap().copysets().status()).toList();
            long leaders = all.stream().flatMap(List::stream).filter(CopysetServer.CopysetStatus::leader).count();
            return all.stream().allMatch(l -> l.size() == copysets.size()) && leaders == copysets.size();
        }, timeout, "copysets did not all get a leader on " + cluster.chunkServers().size() + " chunk servers");
    }

    private static CopysetStateMachine machine(ChunkNode n, CopysetInfo c) {
        return n.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId())
                .orElseThrow(() -> new AssertionError("chunk server " + n.index + " does not host copyset "
                        + c.copysetId()));
    }

    private static List<String> fileNames(CopysetStateMachine sm) {
        return sm.store().files().stream().map(p -> p.getFileName().toString()).sorted().toList();
    }

    private static void assertSameBytes(String what, byte[] expected, byte[] actual) {
        assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            fail("%s differs from the expected bytes at offset %d (page %d): expected %d, got %d", what, at,
                    at / PAGE, expected[at], actual[at]);
        }
    }

    private static <T> T await(CompletableFuture<T> f, String what) throws InterruptedException {
        try {
            return f.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " not answered within " + REQUEST_TIMEOUT, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String message) {
        Await.until(condition, timeout, message);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
