package io.camber.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.PlaygroundFixture.Result;
import io.camber.cli.playground.PlaygroundLayout;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import io.camber.client.chunk.ChunkClient;
import io.camber.common.api.CopysetInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@code kill -9} of one chunk replica under a write workload on the process playground: writes keep being
 * acknowledged by the two live replicas, which take snapshots but keep the log the dead one still needs; once it is
 * started again it catches up (from the log, at most one snapshot install per copyset) until the three replicas'
 * chunk files are identical byte for byte and every acknowledged write reads back.
 */
class ChunkKillIT {

    /** Lowered from the default 1000 so that a few seconds of writes take snapshots while the replica is down. */
    private static final int SNAPSHOT_THRESHOLD = FaultPlayground.SNAPSHOT_THRESHOLD;
    /** Writes each copyset must acknowledge while the victim is down: past a segment and several snapshots. */
    private static final int WRITES_WHILE_DOWN = 3 * SNAPSHOT_THRESHOLD;
    /** How long the victim stays down under load: a minute, as an operator's restart or a host reboot takes. */
    private static final double DOWN_SECONDS = 60;
    private static final int VICTIM = 2;
    private static final int WRITERS = 2;
    private static final int WINDOW = 8;
    private static final long VOLUME = 77;
    private static final long EPOCH = 1;
    private static final int PAGE = 4096;
    private static final int CHUNK_SIZE = 16 << 20;
    private static final int PAGES = CHUNK_SIZE / PAGE;
    /**
     * Writes are 1 to 16 pages (34 KiB on average): the test is about entries (catch-up, snapshots), not bytes, and
     * the logs kept for the stopped replica must fit a small CI disk (64-page writes kept 4.7 GB in a minute).
     */
    private static final int MAX_PIECE_PAGES = 16;
    private static final int READ_PIECE = 1 << 20;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String INSTALLED = "event=copyset_snapshot_installed";

    private static PlaygroundFixture playground;
    private static Path dir;
    private static List<CopysetInfo> copysets = List.of();
    private static ChunkClient client;
    private static Workload workload;

    @BeforeAll
    static void up() throws Exception {
        playground = PlaygroundFixture.shared(FaultPlayground.JVM_OPTIONS);
        dir = playground.dir;
        copysets = fetchCopysets(Duration.ofSeconds(60));
        client = new ChunkClient(64L << 20);
        client.authorize(new io.camber.client.mds.MdsAdminClient("http://127.0.0.1:" + PlaygroundLayout.GATEWAY_PORT,
                io.camber.cli.playground.PlaygroundCredentials.adminKey(dir)).clusterDataToken().join());
    }

    @AfterAll
    static void down() throws IOException {
        if (workload != null) {
            workload.stop(Duration.ofSeconds(30));
        }
        if (client != null) {
            client.close();
        }
        // the playground stays up for the next fault IT (PlaygroundFixture.shared)
    }

    @Test
    void killDashNineOfAChunkReplicaLosesNoAcknowledgedWriteAndItCatchesUpWithAtMostOneSnapshotPerCopyset() throws Exception {
        awaitEveryCopysetServes(Duration.ofSeconds(120));
        workload = new Workload(copysets);
        workload.start();
        await(() -> workload.minAckedPerCopyset() > 0, Duration.ofSeconds(120),
                "not every copyset acknowledged a write");
        sleep(2000);
        int firstSnapshotIndex = awaitFirstSnapshot(Duration.ofSeconds(90));
        assertThat(firstSnapshotIndex).as("index of the first copyset.meta on chunk-service-%d: the snapshot"
                + " threshold %d passed with -Dcamber.chunk.raft.snapshot-threshold must have reached the process",
                VICTIM, SNAPSHOT_THRESHOLD).isLessThan(1000);

        ProcessRecord victim = playground.process("chunk-service-" + VICTIM);
        long[] ackedAtKill = workload.ackedPerCopyset();
        long writesAtKill = workload.acked.sum();
        ProcessHandle handle = ProcessHandle.of(victim.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(30, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        System.out.printf("ChunkKillIT: killed -9 %s (pid %d) after %d acknowledged writes; first snapshot at index"
                + " %d%n", victim.name(), victim.pid(), writesAtKill, firstSnapshotIndex);

        // Two of three replicas are a majority: every copyset keeps acknowledging, long enough to purge its log.
        await(() -> System.nanoTime() - killedAt > DOWN_SECONDS * 1e9
                && minSince(workload.ackedPerCopyset(), ackedAtKill) >= WRITES_WHILE_DOWN, Duration.ofSeconds(240),
                "copysets stopped acknowledging writes with one replica down");
        long[] ackedWhileDown = since(workload.ackedPerCopyset(), ackedAtKill);
        double downSeconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("ChunkKillIT: %d writes acknowledged in %.1f s with %s down (per copyset min %d, max %d),"
                + " %d failed%n", Arrays.stream(ackedWhileDown).sum(), downSeconds, victim.name(),
                Arrays.stream(ackedWhileDown).min().orElse(0), Arrays.stream(ackedWhileDown).max().orElse(0),
                workload.failed.sum());
        assertThat(Arrays.stream(ackedWhileDown).min().orElse(0))
                .as("fewest writes a copyset acknowledged while a replica was down")
                .isGreaterThanOrEqualTo((long) WRITES_WHILE_DOWN);
        assertThat(workload.failures).as("failed writes while a replica was down").isEmpty();

        Result restart = playground.upAgain();
        assertThat(restart.code()).as("restart failed:\n%s%s", restart.out(), restart.err()).isZero();
        assertThat(restart.out()).contains("starting again: " + victim.name());
        ProcessRecord restarted = playground.process(victim.name());
        assertThat(restarted.pid()).isNotEqualTo(victim.pid());
        assertThat(ProcessHandle.of(restarted.pid()).map(ProcessHandle::isAlive)).contains(true);

        workload.stop(REQUEST_TIMEOUT.multipliedBy(2));
        System.out.printf("ChunkKillIT: workload stopped: %d writes acknowledged, %.1f MiB, %d chunks, %d failed%n",
                workload.acked.sum(), workload.ackedBytes.sum() / 1048576.0, workload.chunks.size(),
                workload.failed.sum());
        assertThat(workload.failures).as("failed writes (each must have been acknowledged)").isEmpty();
        assertThat(workload.inFlightAtStop).as("writes still unanswered when the workload stopped").isZero();

        long catchUpStart = System.nanoTime();
        awaitReplicasIdentical(Duration.ofSeconds(90));
        System.out.printf("ChunkKillIT: the three replicas of all %d copysets identical %.1f s after the workload"
                + " stopped%n", copysets.size(), (System.nanoTime() - catchUpStart) / 1e9);

        assertReadsBack();

        Map<String, Integer> installed = snapshotInstalls(Path.of(restarted.log()));
        System.out.printf("ChunkKillIT: %s installed a leader's snapshot on %d of %d copysets: %s%n",
                victim.name(), installed.size(), copysets.size(), installed);
        assertThat(installed.values()).as("snapshot installs per copyset on the restarted %s (it missed more than %d"
                + " entries on each; the leaders kept the log it needs)", victim.name(), WRITES_WHILE_DOWN)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
    }

    // ---- playground

    private static List<CopysetInfo> fetchCopysets(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PlaygroundLayout.GATEWAY_PORT
                + "/api/v1/copysets")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + io.camber.cli.playground.PlaygroundCredentials.adminKey(dir))
                .GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                List<CopysetInfo> all = List.of(JsonMapper.builder().build().readValue(response.body(),
                        CopysetInfo[].class));
                if (all.size() == PlaygroundLayout.COPYSETS) {
                    assertThat(all).allSatisfy(c -> assertThat(c.addresses()).hasSize(3));
                    return all;
                }
            }
            sleep(1000);
        }
        throw new AssertionError("GET /api/v1/copysets did not list " + PlaygroundLayout.COPYSETS
                + " copysets within " + timeout.toSeconds() + " s; last answer: " + last);
    }

    /** Chunk servers create their copysets on heartbeats: read from each until all of them answer. */
    private static void awaitEveryCopysetServes(Duration timeout) {
        List<CopysetInfo> pending = new ArrayList<>(copysets);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            List<CompletableFuture<ByteBuffer>> reads = pending.stream().map(c -> client.read(c, 1, 0, PAGE)
                    .orTimeout(20, TimeUnit.SECONDS)).toList();
            List<CopysetInfo> still = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                if (reads.get(i).handle((b, e) -> e == null).join() == Boolean.FALSE) {
                    still.add(pending.get(i));
                }
            }
            pending = still;
        }
        assertThat(pending).as("copysets that did not serve a read within %d s", timeout.toSeconds()).isEmpty();
    }

    /** Waits for the victim's first copyset snapshot and returns its index (from a copyset.meta.INDEX file). */
    private static int awaitFirstSnapshot(Duration timeout) throws IOException {
        Path copysetsDir = PlaygroundLayout.chunkDisk(dir, VICTIM).resolve("copysets");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> dirs = Files.list(copysetsDir)) {
                for (Path d : dirs.toList()) {
                    Path meta;
                    try (Stream<Path> files = Files.list(d)) {
                        meta = files.filter(f -> f.getFileName().toString().matches("copyset\\.meta\\.\\d+"))
                                .findFirst().orElse(null);
                    }
                    if (meta != null) {
                        String head = Files.readAllLines(meta, StandardCharsets.US_ASCII).get(0);
                        System.out.println("ChunkKillIT: first snapshot " + meta + ": term index " + head);
                        return Integer.parseInt(head.split(" ")[1]);
                    }
                }
            }
            sleep(200);
        }
        throw new AssertionError("no copyset.meta under " + copysetsDir + " within " + timeout.toSeconds() + " s");
    }

    // ---- replicas on disk

    private static void awaitReplicasIdentical(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> difference = Optional.of("not compared yet");
        while (System.nanoTime() < deadline) {
            // The meta (sequence and written-page bitmap) converges last; compare the data and checksums only then.
            difference = replicaDifference(false);
            if (difference.isEmpty()) {
                difference = replicaDifference(true);
                if (difference.isEmpty()) {
                    return;
                }
            }
            sleep(500);
        }
        throw new AssertionError("replicas still differ " + timeout.toSeconds() + " s after the workload stopped: "
                + difference.get());
    }

    /**
     * Chunk file format 2 for 16 MiB chunks: two 4 KiB meta slots, then 16 KiB of page checksums, then the data. The
     * slots carry a generation that counts each replica's own meta writes (syncs included), so replicas compare by
     * the newest slot's content (sequence and bitmap) and byte for byte from the checksum table on.
     */
    private static final int SLOT = 4096;
    private static final int BITMAP_BYTES = PAGES / 8;

    private static Optional<String> replicaDifference(boolean dataToo) throws IOException {
        for (CopysetInfo c : copysets) {
            String name = c.logicalPoolId() + "-" + c.copysetId();
            List<Path> dirs = new ArrayList<>();
            List<Set<String>> listings = new ArrayList<>();
            for (int n = 1; n <= PlaygroundLayout.CHUNK_SERVICES; n++) {
                Path chunks = PlaygroundLayout.chunkDisk(dir, n).resolve("copysets").resolve(name).resolve("chunks");
                dirs.add(chunks);
                try (Stream<Path> files = Files.list(chunks)) {
                    listings.add(new TreeSet<>(files.map(p -> p.getFileName().toString()).toList()));
                } catch (NoSuchFileException e) {
                    return Optional.of("copyset " + name + ": " + chunks + " does not exist");
                }
            }
            if (!listings.get(0).equals(listings.get(1)) || !listings.get(0).equals(listings.get(2))) {
                return Optional.of("copyset " + name + ": chunk files differ: " + listings);
            }
            for (String chunk : listings.get(0)) {
                for (int n = 1; n < dirs.size(); n++) {
                    Path a = dirs.get(0).resolve(chunk);
                    Path b = dirs.get(n).resolve(chunk);
                    String where = null;
                    if (!Arrays.equals(newestMeta(a), newestMeta(b))) {
                        where = "the newest meta slot (sequence or written-page bitmap)";
                    } else if (dataToo) {
                        long at = mismatchFrom(a, b, 2L * SLOT);
                        where = at < 0 ? null : "byte " + at + " of the file (checksum table or data)";
                    }
                    if (where != null) {
                        return Optional.of("copyset " + name + " chunk " + chunk + ": chunk-service-1 and"
                                + " chunk-service-" + (n + 1) + " differ in " + where + " (" + a + " vs " + b + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Sequence and bitmap of the slot with the higher generation (offset 40); a torn or blank slot loses. */
    private static byte[] newestMeta(Path file) throws IOException {
        byte[] best = new byte[0];
        long bestGeneration = -1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int slot = 0; slot < 2; slot++) {
                ByteBuffer buf = ByteBuffer.allocate(SLOT);
                while (buf.hasRemaining() && ch.read(buf, (long) slot * SLOT + buf.position()) >= 0) {
                    // read the whole slot
                }
                long generation = buf.getInt(0) == 0x434D4348 ? buf.getLong(40) : -1;
                if (generation > bestGeneration) {
                    bestGeneration = generation;
                    ByteBuffer content = ByteBuffer.allocate(8 + BITMAP_BYTES).putLong(buf.getLong(24));
                    content.put(buf.array(), 64, BITMAP_BYTES);
                    best = content.array();
                }
            }
        }
        return best;
    }

    /** The first offset from which two files differ, or -1 when they are equal from {@code from} on. */
    private static long mismatchFrom(Path a, Path b, long from) throws IOException {
        try (FileChannel x = FileChannel.open(a, StandardOpenOption.READ);
             FileChannel y = FileChannel.open(b, StandardOpenOption.READ)) {
            if (x.size() != y.size()) {
                return Math.min(x.size(), y.size());
            }
            ByteBuffer bx = ByteBuffer.allocate(1 << 20);
            ByteBuffer by = ByteBuffer.allocate(1 << 20);
            for (long at = from; at < x.size(); at += bx.capacity()) {
                bx.clear();
                by.clear();
                x.read(bx, at);
                y.read(by, at);
                int m = Arrays.mismatch(Arrays.copyOf(bx.array(), bx.position()), Arrays.copyOf(by.array(),
                        by.position()));
                if (m >= 0) {
                    return at + m;
                }
            }
        }
        return -1;
    }

    // ---- read back

    private static void assertReadsBack() {
        long pagesWritten = 0;
        List<String> wrong = new ArrayList<>();
        for (Chunk chunk : workload.chunks) {
            List<CompletableFuture<ByteBuffer>> reads = new ArrayList<>();
            for (int off = 0; off < CHUNK_SIZE; off += READ_PIECE) {
                reads.add(client.read(chunk.copyset, chunk.id, off, READ_PIECE)
                        .orTimeout(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            byte[] expected = new byte[PAGE];
            for (int piece = 0; piece < reads.size(); piece++) {
                ByteBuffer got = reads.get(piece).join();
                assertThat(got.remaining()).as("bytes read from chunk %d", chunk.id).isEqualTo(READ_PIECE);
                for (int p = 0; p < READ_PIECE / PAGE; p++) {
                    int page = piece * (READ_PIECE / PAGE) + p;
                    long writeId = chunk.writeIdOf(page);
                    Content.page(expected, writeId, page);
                    pagesWritten += writeId == 0 ? 0 : 1;
                    if (!got.slice(p * PAGE, PAGE).equals(ByteBuffer.wrap(expected)) && wrong.size() < 10) {
                        wrong.add("copyset " + chunk.copyset.copysetId() + " chunk " + chunk.id + " page " + page
                                + (writeId == 0 ? " (never written, expected zeros)" : " (last acknowledged write #"
                                + writeId + ")"));
                    }
                }
            }
        }
        System.out.printf("ChunkKillIT: read back %d chunks (%d MiB), %d written pages match the model%n",
                workload.chunks.size(), (long) workload.chunks.size() * CHUNK_SIZE >> 20, pagesWritten);
        assertThat(wrong).as("pages that differ from the acknowledged writes").isEmpty();
        assertThat(pagesWritten).isPositive();
    }

    // ---- log evidence

    /** Snapshot installs per copyset logged by the latest start of the service. */
    private static Map<String, Integer> snapshotInstalls(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        // ServiceProcess appends one "=== <time> starting:" line per launch; only the restart counts.
        String latest = text.substring(Math.max(0, text.lastIndexOf("=== ")));
        Matcher m = Pattern.compile(INSTALLED + " dir=\\S*/copysets/(\\d+-\\d+)").matcher(latest);
        Map<String, Integer> installs = new TreeMap<>();
        while (m.find()) {
            installs.merge(m.group(1), 1, Integer::sum);
        }
        return installs;
    }

    // ---- workload

    /** One chunk, the copyset it lives in, and for each page the id of the last acknowledged write to it. */
    private static final class Chunk {
        final CopysetInfo copyset;
        final int copysetIndex;
        final long id;
        final AtomicBoolean busy = new AtomicBoolean();
        private final long[] lastWrite = new long[PAGES];

        Chunk(CopysetInfo copyset, int copysetIndex, long id) {
            this.copyset = copyset;
            this.copysetIndex = copysetIndex;
            this.id = id;
        }

        synchronized void acknowledged(long writeId, int firstPage, int pages) {
            Arrays.fill(lastWrite, firstPage, firstPage + pages, writeId);
        }

        synchronized long writeIdOf(int page) {
            return lastWrite[page];
        }
    }

    /** The bytes of page {@code page} as written by write {@code writeId}; zeros when never written. */
    private static final class Content {
        static void page(byte[] into, long writeId, int page) {
            if (writeId == 0) {
                Arrays.fill(into, (byte) 0);
                return;
            }
            SplittableRandom random = new SplittableRandom(writeId * 0x9E3779B97F4A7C15L + page);
            ByteBuffer out = ByteBuffer.wrap(into);
            while (out.hasRemaining()) {
                out.putLong(random.nextLong());
            }
        }

        static ByteBuffer of(long writeId, int firstPage, int pages) {
            byte[] data = new byte[pages * PAGE];
            byte[] one = new byte[PAGE];
            for (int p = 0; p < pages; p++) {
                page(one, writeId, firstPage + p);
                System.arraycopy(one, 0, data, p * PAGE, PAGE);
            }
            return ByteBuffer.wrap(data);
        }
    }

    /**
     * Writer threads, each owning one chunk per copyset, sending random 4 KiB-aligned pieces of 4 KiB to 256 KiB with
     * at most {@link #WINDOW} in flight. A chunk takes its next write only after the previous one was answered, so
     * the order acknowledgements enter the model is the order the copyset applied them.
     */
    private static final class Workload {
        final List<Chunk> chunks = new ArrayList<>();
        final LongAdder acked = new LongAdder();
        final LongAdder ackedBytes = new LongAdder();
        final LongAdder failed = new LongAdder();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLongArray ackedPerCopyset;
        final java.util.concurrent.atomic.AtomicLong writeIds = new java.util.concurrent.atomic.AtomicLong();
        final List<Thread> writers = new ArrayList<>();
        final List<Semaphore> windows = new ArrayList<>();
        volatile boolean running = true;
        volatile int inFlightAtStop;

        Workload(List<CopysetInfo> copysets) {
            ackedPerCopyset = new AtomicLongArray(copysets.size());
            for (int w = 0; w < WRITERS; w++) {
                List<Chunk> mine = new ArrayList<>();
                for (int i = 0; i < copysets.size(); i++) {
                    mine.add(new Chunk(copysets.get(i), i, (w + 1) * 100_000L + i));
                }
                chunks.addAll(mine);
                Semaphore window = new Semaphore(WINDOW);
                windows.add(window);
                long seed = 42 + w;
                Thread t = new Thread(() -> write(mine, window, new SplittableRandom(seed)), "chunk-kill-writer-" + w);
                t.setDaemon(true);
                writers.add(t);
            }
        }

        void start() {
            writers.forEach(Thread::start);
        }

        private void write(List<Chunk> mine, Semaphore window, SplittableRandom random) {
            try {
                while (running) {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    Chunk chunk = mine.get(random.nextInt(mine.size()));
                    while (!chunk.busy.compareAndSet(false, true)) {
                        chunk = mine.get(random.nextInt(mine.size())); // fewer in flight than chunks: one is idle
                    }
                    send(chunk, window, random);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void send(Chunk chunk, Semaphore window, SplittableRandom random) {
            int pages = 1 + random.nextInt(MAX_PIECE_PAGES);
            int first = random.nextInt(PAGES - pages + 1);
            long writeId = writeIds.incrementAndGet();
            CompletableFuture<Void> sent;
            try {
                sent = client.write(chunk.copyset, VOLUME, EPOCH, chunk.id, (long) first * PAGE,
                        Content.of(writeId, first, pages)).orTimeout(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((ok, error) -> {
                if (error == null) {
                    chunk.acknowledged(writeId, first, pages);
                    acked.increment();
                    ackedBytes.add((long) pages * PAGE);
                    ackedPerCopyset.incrementAndGet(chunk.copysetIndex);
                } else {
                    failed.increment();
                    if (failures.size() < 10) {
                        failures.add("write #" + writeId + " to chunk " + chunk.id + " of copyset "
                                + chunk.copyset.copysetId() + ": " + error);
                    }
                }
                chunk.busy.set(false);
                window.release();
            });
        }

        long[] ackedPerCopyset() {
            long[] out = new long[ackedPerCopyset.length()];
            Arrays.setAll(out, ackedPerCopyset::get);
            return out;
        }

        long minAckedPerCopyset() {
            return Arrays.stream(ackedPerCopyset()).min().orElse(0);
        }

        /** Stops sending and waits for every write in flight to be answered. */
        void stop(Duration timeout) {
            running = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            int unanswered = 0;
            for (int w = 0; w < writers.size(); w++) {
                try {
                    writers.get(w).join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    long left = Math.max(0, deadline - System.nanoTime());
                    if (windows.get(w).tryAcquire(WINDOW, left, TimeUnit.NANOSECONDS)) {
                        windows.get(w).release(WINDOW);
                    } else {
                        unanswered += WINDOW - windows.get(w).availablePermits();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while stopping the workload", e);
                }
            }
            inFlightAtStop = unanswered;
        }
    }

    // ---- small helpers

    private static long[] since(long[] now, long[] before) {
        long[] out = new long[now.length];
        Arrays.setAll(out, i -> now[i] - before[i]);
        return out;
    }

    private static long minSince(long[] now, long[] before) {
        return Arrays.stream(since(now, before)).min().orElse(0);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within " + timeout.toSeconds() + " s (acknowledged "
                        + workload.acked.sum() + ", failed " + workload.failed.sum() + ": " + workload.failures + ")");
            }
            sleep(200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
