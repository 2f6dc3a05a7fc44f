package io.camber.testkit;

import io.camber.client.block.CamberVolume;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.OpenMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Block volumes through the client library on a real in-JVM cluster: IO at any 512-byte offset, the fence. */
class VolumeIT {
    private static final long CHUNK = 1024 * 1024;
    private static final long VOLUME = 128 * CHUNK; // two 64 MiB segments
    private static MiniCluster cluster;
    private static MdsAdminClient mds;
    private static ChunkClient chunks;
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        // A short lease, so a test can outlast it with the MDS down.
        cluster = MiniCluster.builder().mds(1).chunkServers(3).chunkSize(CHUNK).copysets(8)
                .mdsProperty("camber.mds.session-lease", "3s").mdsProperty("camber.mds.expiry-interval", "1s")
                .start();
        AdminHttp http = new AdminHttp(cluster.url());
        for (String name : List.of("/v1", "/fence")) {
            AdminHttp.Response r = http.post("/api/v1/volumes", Map.of("path", name, "size", VOLUME + ""));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
        chunks = new ChunkClient(64L << 20);
    }

    @AfterAll
    static void stop() throws Exception {
        chunks.close();
        cluster.close();
    }

    @Test
    void randomSectorAlignedWritesReadBackAcrossChunksAndSegments() {
        try (CamberVolume v = CamberVolume.open(mds, chunks, "/v1", OpenMode.READ_WRITE, "it", METRICS)) {
            byte[] model = new byte[(int) VOLUME];
            Random random = new Random(7);
            for (int round = 0; round < 10; round++) {
                List<CompletableFuture<Void>> writes = new ArrayList<>();
                List<long[]> ranges = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    int length = 512 * (1 + random.nextInt(random.nextBoolean() ? 8 : 4096));
                    long offset = 512L * random.nextInt((int) ((VOLUME - length) / 512));
                    if (ranges.stream().anyMatch(r -> offset < r[1] && r[0] < offset + length)) {
                        continue; // overlapping writes in flight have no defined order
                    }
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    System.arraycopy(data, 0, model, (int) offset, length);
                    ranges.add(new long[] {offset, offset + length});
                    writes.add(v.write(offset, ByteBuffer.wrap(data)));
                }
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            }
            v.flush().join();
            for (long off = 0; off < VOLUME; off += 8 * CHUNK) {
                byte[] got = bytes(v.read(off, (int) (8 * CHUNK)).join());
                byte[] want = java.util.Arrays.copyOfRange(model, (int) off, (int) (off + 8 * CHUNK));
                assertThat(got).as("bytes at " + off).isEqualTo(want);
            }
            v.writeZeroes(CHUNK, 3 * CHUNK + 512).join();
            v.trim(0, 512).join();
            java.util.Arrays.fill(model, (int) CHUNK, (int) (4 * CHUNK + 512), (byte) 0);
            java.util.Arrays.fill(model, 0, 512, (byte) 0);
            assertThat(bytes(v.read(0, (int) (5 * CHUNK)).join()))
                    .isEqualTo(java.util.Arrays.copyOfRange(model, 0, (int) (5 * CHUNK)));
            assertThat(METRICS.get("camber.volume.io").tag("op", "write").timer().count()).isGreaterThan(100);
        }
    }

    @Test
    void badIoIsRefusedWithAClearError() {
        try (CamberVolume v = CamberVolume.open(mds, chunks, "/v1", OpenMode.READ_ONLY, "it", METRICS)) {
            assertFails(v.read(100, 512), ErrorCode.INVALID_ARGUMENT);
            assertFails(v.read(VOLUME - 512, 1024), ErrorCode.INVALID_ARGUMENT);
            assertFails(v.write(0, ByteBuffer.allocate(512)), ErrorCode.CONFLICT);
            assertThat(v.readOnly()).isTrue();
        }
    }

    @Test
    void aSecondReadWriteOpenFencesTheFirstAndNoLaterWriteOfTheFirstLands() {
        CamberVolume first = CamberVolume.open(mds, chunks, "/fence", OpenMode.READ_WRITE, "first", METRICS);
        byte[] a = filled(4096, (byte) 'a');
        first.write(0, ByteBuffer.wrap(a)).join();
        try (CamberVolume second = CamberVolume.open(mds, chunks, "/fence", OpenMode.READ_WRITE, "second", METRICS)) {
            assertThat(second.epoch()).isGreaterThan(first.epoch());
            byte[] b = filled(4096, (byte) 'b');
            second.write(0, ByteBuffer.wrap(b)).join();
            // The first writer does not know yet; its write reaches the copyset and is refused there.
            assertFails(first.write(0, ByteBuffer.wrap(filled(4096, (byte) 'x'))), ErrorCode.FENCED);
            // Refused also where the new writer never wrote: opening raised the epoch on every copyset.
            assertFails(first.write(VOLUME - 4096, ByteBuffer.wrap(filled(4096, (byte) 'y'))), ErrorCode.FENCED);
            assertThat(first.readOnly()).isTrue();
            assertThat(bytes(second.read(0, 4096).join())).isEqualTo(b);
            assertThat(bytes(second.read(VOLUME - 4096, 4096).join())).containsOnly(0);
        }
        first.close();
    }

    private static void assertFails(CompletableFuture<?> io, ErrorCode code) {
        assertThatThrownBy(io::join).isInstanceOf(CompletionException.class)
                .satisfies(t -> assertThat(((CamberException) t.getCause()).code()).isEqualTo(code));
    }

    private static byte[] filled(int n, byte b) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, b);
        return out;
    }

    /**
     * The rename/re-create probe: a writer opened /a; /a cannot be renamed under it, and once its session is gone
     * and /a was deleted and created again, the stale writer's IO never reaches the new /a (it names its volume
     * by id, which the new /a does not have).
     */
    @Test
    void aStaleWriterNeverReachesAVolumeCreatedLaterAtItsPath() {
        AdminHttp http = new AdminHttp(cluster.url());
        assertThat(http.post("/api/v1/volumes", Map.of("path", "/a", "size", VOLUME + "")).status()).isEqualTo(201);
        long lastSegment = VOLUME - 64 * CHUNK;
        try (CamberVolume stale = CamberVolume.open(mds, chunks, "/a", OpenMode.READ_WRITE, "stale", METRICS)) {
            stale.write(0, ByteBuffer.wrap(filled(4096, 'A'))).join();

            AdminHttp.Response busy = http.post("/api/v1/volumes/rename", Map.of("from", "/a", "to", "/b"));
            assertThat(busy.status()).as(busy.raw()).isEqualTo(409);
            assertThat(busy.code()).isEqualTo("VOLUME_BUSY");

            // The writer's session ends (an operator closes it, as an expired lease would) and /a is replaced.
            for (tools.jackson.databind.JsonNode session : http.get("/api/v1/sessions?path=/a").body()) {
                assertThat(http.delete("/api/v1/sessions/" + session.get("sessionId").asString()).status())
                        .isEqualTo(204);
            }
            assertThat(http.delete("/api/v1/volumes?path=/a").status()).isEqualTo(204);
            assertThat(http.post("/api/v1/volumes", Map.of("path", "/a", "size", VOLUME + "")).status())
                    .isEqualTo(201);

            assertThatThrownBy(() -> stale.write(lastSegment, ByteBuffer.wrap(filled(4096, 'B'))).join())
                    .as("a write to a segment the stale writer never touched").isInstanceOf(CompletionException.class);
            assertThatThrownBy(() -> stale.read(lastSegment, 4096).join())
                    .as("a read of it").isInstanceOf(CompletionException.class);
        }
        assertThat(http.get("/api/v1/volumes/segments?path=/a").body()).as("segments of the new /a").isEmpty();
        try (CamberVolume fresh = CamberVolume.open(mds, chunks, "/a", OpenMode.READ_ONLY, "fresh", METRICS)) {
            assertThat(bytes(fresh.read(0, 4096).join())).isEqualTo(new byte[4096]);
            assertThat(bytes(fresh.read(lastSegment, 4096).join())).isEqualTo(new byte[4096]);
        }
    }

    /**
     * The MDS down for longer than a session's lease: IO on allocated segments goes on meanwhile, and once the MDS
     * is back the writer takes its expired session back with its epoch (no one else opened the volume), so it
     * never turns read-only and can allocate again.
     */
    @Test
    void aWriterOutlivesAnMdsOutageLongerThanItsLease() throws Exception {
        AdminHttp http = new AdminHttp(cluster.url());
        assertThat(http.post("/api/v1/volumes", Map.of("path", "/outage", "size", VOLUME + "")).status())
                .isEqualTo(201);
        try (CamberVolume v = CamberVolume.open(mds, chunks, "/outage", OpenMode.READ_WRITE, "w", METRICS)) {
            v.write(0, ByteBuffer.wrap(filled(4096, 'a'))).join();
            String session = http.get("/api/v1/sessions?path=/outage").body().get(0).get("sessionId").asString();
            MiniCluster.MdsNode node = cluster.mds().get(0);
            cluster.stop(node);
            Thread.sleep(4500); // longer than the 3 s lease
            v.write(4096, ByteBuffer.wrap(filled(4096, 'b'))).join(); // an allocated segment: no MDS needed
            cluster.restart(node);
            cluster.awaitLeader(java.time.Duration.ofSeconds(30));

            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            List<String> sessions = List.of();
            while (System.nanoTime() < deadline) {
                sessions = new ArrayList<>();
                for (tools.jackson.databind.JsonNode s : http.get("/api/v1/sessions?path=/outage").body()) {
                    // Only a lease granted after the restart counts (the old one ran out while the MDS was down).
                    if (s.get("expiresAtMillis").asLong() > System.currentTimeMillis() + 1000) {
                        sessions.add(s.get("sessionId").asString() + " epoch " + s.get("epoch").asLong());
                    }
                }
                if (!sessions.isEmpty()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(sessions).as("the same session, taken back with its epoch")
                    .containsExactly(session + " epoch " + v.epoch());
            assertThat(v.readOnly()).isFalse();
            v.write(VOLUME - 4096, ByteBuffer.wrap(filled(4096, 'c'))).join(); // allocates the second segment
            assertThat(bytes(v.read(0, 8192).join())).startsWith(filled(4096, 'a')).endsWith(filled(4096, 'b'));
            assertThat(bytes(v.read(VOLUME - 4096, 4096).join())).isEqualTo(filled(4096, 'c'));
        }
    }

    /**
     * Deleting a volume frees its chunks on every replica: the chunk servers leading its copysets delete them, the
     * MDS forgets them, and the chunk files go back to the pool or, beyond what the pool keeps, off the disk.
     */
    @Test
    void deletedVolumesFreeTheirChunksOnEveryReplicaCycleAfterCycle() throws Exception {
        AdminHttp http = new AdminHttp(cluster.url());
        awaitNoGarbage(http);
        long liveBefore = settledLiveChunks();
        long onDiskBefore = chunkSizedFiles();
        for (int cycle = 0; cycle < 3; cycle++) {
            String path = "/gc" + cycle;
            assertThat(http.post("/api/v1/volumes", Map.of("path", path, "size", VOLUME + "")).status()).isEqualTo(201);
            try (CamberVolume v = CamberVolume.open(mds, chunks, path, OpenMode.READ_WRITE, "gc", METRICS)) {
                for (long c = 0; c < 64; c++) { // every chunk of the first segment, on every copyset
                    v.write(c * CHUNK, ByteBuffer.wrap(filled(4096, 'g'))).join();
                }
            }
            awaitLiveChunks(liveBefore + 64 * 3); // 64 chunks, 3 replicas each (followers apply a moment later)
            assertThat(http.delete("/api/v1/volumes?path=" + path).status()).isEqualTo(204);
            awaitNoGarbage(http);
            awaitLiveChunks(liveBefore); // every replica deleted the chunks
        }
        // the pool keeps at most 2 x pool-size (4) deleted files per server; the rest left the disk
        assertThat(chunkSizedFiles()).isLessThanOrEqualTo(onDiskBefore + 3 * 2 * 4);
    }

    private static void awaitNoGarbage(AdminHttp http) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        long pending = -1;
        while (System.nanoTime() < deadline) {
            pending = http.get("/api/v1/cluster/status").body().get("garbageChunks").asLong();
            if (pending == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(pending + " garbage chunks still pending after 30 s");
    }

    /** The chunk count once it stopped moving for a second (followers finish applying earlier deletes). */
    private static long settledLiveChunks() throws InterruptedException {
        long last = liveChunks();
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1000);
            long now = liveChunks();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static void awaitLiveChunks(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (liveChunks() != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(liveChunks()).as("chunks on all replicas").isEqualTo(expected);
    }

    /** Chunks held by all replicas of all copysets. */
    private static long liveChunks() {
        long n = 0;
        for (MiniCluster.ChunkNode node : cluster.chunkServers()) {
            for (io.camber.chunk.copyset.CopysetServer.CopysetStatus c : node.bootstrap().copysets().status()) {
                n += node.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId()).orElseThrow()
                        .store().files().size();
            }
        }
        return n;
    }

    /** Files of a chunk's size (1 MiB data + 4 KiB meta) under every chunk server's data directory. */
    private static long chunkSizedFiles() throws java.io.IOException {
        long n = 0;
        for (MiniCluster.ChunkNode node : cluster.chunkServers()) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(node.dataDir)) {
                n += files.filter(f -> f.toFile().isFile() && f.toFile().length() == CHUNK + 4096).count();
            }
        }
        return n;
    }

    /**
     * The leader ends a lease on its own clock: a session renewed within its lease stays however long it lives, one
     * left alone is dropped about a lease (plus one expiry tick) later, and its renewal is then refused.
     */
    @Test
    void theLeaderDropsASessionLeftUnrenewedForALeaseAndKeepsOneThatIsRenewed() throws Exception {
        AdminHttp http = new AdminHttp(cluster.url());
        assertThat(http.post("/api/v1/volumes", Map.of("path", "/leases", "size", VOLUME + "")).status())
                .isEqualTo(201);
        String kept = http.post("/api/v1/sessions", Map.of("path", "/leases", "mode", "READ_WRITE", "client", "kept"))
                .body().get("sessionId").asString();
        String left = http.post("/api/v1/sessions", Map.of("path", "/leases", "mode", "READ_ONLY", "client", "left"))
                .body().get("sessionId").asString();
        long start = System.nanoTime();
        boolean leftSeenGone = false;
        // 3 s lease, 1 s ticks: "left" goes between 3 s (a lease from the leader's first look) and 5 s (first look
        // a tick late, and a tick to notice), plus slack for a busy machine (8 s); "kept" must outlive three leases,
        // past the latest "left" may go
        while (System.nanoTime() - start < java.time.Duration.ofSeconds(9).toNanos()) {
            assertThat(http.post("/api/v1/sessions/" + kept + "/renew", Map.of()).status()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            http.get("/api/v1/sessions?path=/leases").body().forEach(n -> ids.add(n.get("sessionId").asString()));
            assertThat(ids).contains(kept);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!ids.contains(left)) {
                assertThat(seconds).as("dropped no earlier than its lease").isGreaterThan(2.9);
                leftSeenGone = true;
            } else {
                assertThat(seconds).as("dropped within a lease and two ticks").isLessThan(8);
            }
            Thread.sleep(500);
        }
        assertThat(leftSeenGone).isTrue();
        AdminHttp.Response late = http.post("/api/v1/sessions/" + left + "/renew", Map.of());
        assertThat(late.status()).as(late.raw()).isEqualTo(410);
        assertThat(http.delete("/api/v1/sessions/" + kept).status()).isEqualTo(204);
    }

    /**
     * Opens fence only the copysets that hold the volume's data; others are fenced before the writer's first write
     * there, and a fenced writer cannot even learn a segment allocated after it was fenced.
     */
    @Test
    void aWriterFencesCopysetsHoldingDataAtOpenTheOthersBeforeItsFirstWriteAndAFencedOneGetsNoSegment() {
        AdminHttp http = new AdminHttp(cluster.url());
        AdminHttp.Response created = http.post("/api/v1/volumes", Map.of("path", "/lazy", "size", VOLUME + ""));
        long id = created.body().get("id").asLong();
        try (CamberVolume first = CamberVolume.open(mds, chunks, "/lazy", OpenMode.READ_WRITE, "first", METRICS)) {
            assertThat(copysetsKnowingEpoch(id)).as("a volume without data fences no copyset at open").isEmpty();
            first.write(0, ByteBuffer.wrap(filled(4096, 'f'))).join();
            int written = segment(http, "/lazy", 0).get("chunks").get(0).get("copysetId").asInt();
            assertThat(copysetsKnowingEpoch(id)).as("the copyset written to, fenced before the write")
                    .containsExactly(written);

            try (CamberVolume second = CamberVolume.open(mds, chunks, "/lazy", OpenMode.READ_WRITE, "second",
                    METRICS)) {
                java.util.Set<Integer> holding = new java.util.TreeSet<>();
                segment(http, "/lazy", 0).get("chunks").forEach(c -> holding.add(c.get("copysetId").asInt()));
                assertThat(copysetsKnowingEpoch(id, second.epoch())).as("every copyset of the allocated segment")
                        .containsExactlyElementsOf(holding);

                assertThatThrownBy(() -> first.write(VOLUME - 4096, ByteBuffer.wrap(filled(4096, 'x'))).join())
                        .as("the first writer asks for a new segment").hasRootCauseInstanceOf(CamberException.class)
                        .rootCause().hasMessageContaining("opened read-write by another client");
                assertThat(first.readOnly()).isTrue();
                assertThat(http.get("/api/v1/volumes/segments?path=/lazy").body()).as("nothing allocated").hasSize(1);
                second.write(VOLUME - 4096, ByteBuffer.wrap(filled(4096, 's'))).join();
                assertThat(bytes(second.read(VOLUME - 4096, 4096).join())).isEqualTo(filled(4096, 's'));
            }
        }
    }

    private static tools.jackson.databind.JsonNode segment(AdminHttp http, String path, long offset) {
        return http.get("/api/v1/volumes/segments/at?path=" + path + "&offset=" + offset).body();
    }

    /** Copysets on which some replica has applied a fence or write of the volume (with that epoch, if given). */
    private static java.util.Set<Integer> copysetsKnowingEpoch(long volumeId, long... epoch) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (MiniCluster.ChunkNode n : cluster.chunkServers()) {
            for (io.camber.chunk.copyset.CopysetServer.CopysetStatus c : n.bootstrap().copysets().status()) {
                Long known = n.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId()).orElseThrow()
                        .epochs().get(volumeId);
                if (known != null && (epoch.length == 0 || known == epoch[0])) {
                    out.add(c.copysetId());
                }
            }
        }
        return out;
    }

    private static byte[] filled(int length, char c) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) c);
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
