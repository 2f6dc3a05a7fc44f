package io.camber.testkit;

import io.camber.chunk.copyset.CopysetStateMachine;
import io.camber.client.chunk.ChunkClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.testkit.MiniCluster.ChunkNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A chunk service whose disk fills (reliability review F5): MDS + 3 chunk services whose disks are one small
 * tmpfs. Writes are refused with NO_SPACE within seconds and before the Raft logs run out of room, acknowledged
 * data reads back, and once space is freed writes resume on every copyset, without a restart, with all three
 * replicas of each copyset alive and identical.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChunkDiskFullIT {
    private static final int CHUNK = 1024 * 1024;
    private static final int PAGE = 4096;
    private static final int COPYSETS = 3;
    private static final long MIB = 1024 * 1024;
    private static final String TMPFS_SIZE = "200m";
    private static final long RESERVE = 24 * MIB;
    /** Taken before filling and given back at the end, so that new chunks fit again once space is freed. */
    private static final long BALLAST = 32 * MIB;
    private static final long VOLUME = 41;
    private static final long EPOCH = 1;
    /** Longest any single request may take: a refusal must come fast, and nothing may hang. */
    private static final Duration REQUEST = Duration.ofSeconds(10);

    private static Path mount;
    private static boolean mounted;
    private static FileStore disk;
    private static MiniCluster cluster;
    private static List<CopysetInfo> copysets;
    private static ChunkClient client;
    /** Every acknowledged write: its chunk and the page written at offset 0. */
    private static final Map<Written, byte[]> acked = new LinkedHashMap<>();
    private static long nextChunk = 1000;

    private record Written(CopysetInfo copyset, long chunkId) {
    }

    @BeforeAll
    static void start() throws Exception {
        mount = Files.createTempDirectory("camber-disk-full-it");
        mountTmpfs(mount);
        disk = Files.getFileStore(mount);
        assertThat(disk.type()).isEqualTo("tmpfs");
        writeFile(mount.resolve("ballast"), BALLAST);
        cluster = MiniCluster.builder().mds(1).chunkServers(3).chunkSize(CHUNK).copysets(COPYSETS)
                .chunkDir(mount)
                .chunkProperty("camber.chunk.pool-size", 2)
                .chunkProperty("camber.chunk.reserved-space", RESERVE + "B")
                .start();
        AdminHttp http = new AdminHttp(cluster.url());
        copysets = List.of(JsonMapper.builder().build().readValue(http.get("/api/v1/copysets").raw(),
                CopysetInfo[].class));
        assertThat(copysets).hasSize(COPYSETS);
        awaitCopysets();
        client = new ChunkClient(16L << 20);
        client.authorize(cluster.clusterDataToken());
        // A replica still catching up when the disk fills would later need space no leader counted on.
        for (CopysetInfo c : copysets) {
            assertThat(write(c, 1, 0, page(1))).isNull();
        }
        awaitReplicasCaughtUp();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (mounted) {
                unmount(mount);
            }
            if (mount != null) {
                deleteTree(mount);
            }
        }
    }

    @Test
    @Order(1)
    void writesToNewChunksAreRefusedWithNoSpaceBeforeTheDiskIsFullAndAcknowledgedDataReadsBack() throws Exception {
        Set<CopysetInfo> refusing = new HashSet<>();
        CamberException refusal = null;
        // Each write of one page to a new chunk takes a 1 MiB chunk file on each of the three replicas.
        for (int i = 0; refusing.size() < COPYSETS; i++) {
            assertThat(i).as("writes accepted before a refusal: the disk should have filled by now").isLessThan(400);
            CopysetInfo c = copysets.get(i % COPYSETS);
            if (refusing.contains(c)) {
                continue;
            }
            Written w = new Written(c, nextChunk++);
            CamberException failed = write(w.copyset(), w.chunkId(), 0, page(w.chunkId()));
            if (failed == null) {
                acked.put(w, page(w.chunkId()));
            } else {
                assertThat(failed.code()).as(failed.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
                refusing.add(c);
                refusal = failed;
            }
        }
        System.out.printf("ChunkDiskFullIT: %d new chunks accepted, then NO_SPACE with %d MiB free: %s%n",
                acked.size(), disk.getUsableSpace() / MIB, refusal.getMessage());
        assertThat(refusal.getMessage()).contains("free space");
        assertThat(acked.size()).as("writes accepted before the disk filled").isGreaterThan(20);
        assertThat(disk.getUsableSpace()).as("the Raft logs' reserve is still there").isGreaterThan(RESERVE / 2);
        double refused = 0;
        for (ChunkNode n : cluster.chunkServers()) {
            refused += metric(n, "camber_chunk_writes_refused_no_space_total");
            assertThat(metric(n, "camber_chunk_disk_usable_bytes")).isLessThan(RESERVE + CHUNK + PAGE);
            assertThat(metric(n, "camber_chunk_disk_reserved_bytes")).isEqualTo(RESERVE);
        }
        assertThat(refused).as("refusals counted in the chunk servers' metrics").isGreaterThanOrEqualTo(COPYSETS);
        double writesAnswered = 0;
        for (ChunkNode n : cluster.chunkServers()) {
            writesAnswered += metric(n,
                    "camber_chunk_data_requests_total\\{[^}]*kind=\"write\",[^}]*status=\"ok\"[^}]*}");
        }
        assertThat(writesAnswered).as("write entries answered on the data ports").isPositive();
        assertAckedDataReadsBack();
        // The reserve also covered the followers' last applies: every replica applied every accepted write.
        awaitReplicasCaughtUp();
        for (ChunkNode n : cluster.chunkServers()) {
            assertThat(n.bootstrap().copysets().stalledApplies()).as("stalled applies on %d", n.index).isZero();
        }
    }

    @Test
    @Order(2)
    void belowTheReserveEvenWritesToExistingChunksAreRefusedAndReadsStillWork() throws Exception {
        writeFile(mount.resolve("filler"), disk.getUsableSpace() - RESERVE / 2);
        assertThat(disk.getUsableSpace()).isLessThan(RESERVE);

        for (CopysetInfo c : copysets) {
            Written existing = acked.keySet().stream().filter(w -> w.copyset().equals(c)).findFirst().orElseThrow();
            CamberException failed = write(c, existing.chunkId(), PAGE, page(-existing.chunkId()));
            assertThat(failed).as("write to existing chunk %d of copyset %d", existing.chunkId(), c.copysetId())
                    .isNotNull();
            assertThat(failed.code()).as(failed.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
            assertThat(failed.getMessage()).contains("kept for the Raft logs");
        }
        assertAckedDataReadsBack();
    }

    @Test
    @Order(3)
    void freeingSpaceResumesWritesOnEveryCopysetWithoutARestartAndNoReplicaWasLost() throws Exception {
        List<Object> contexts = cluster.chunkServers().stream().map(n -> (Object) n.bootstrap()).toList();
        long[] formatted = cluster.chunkServers().stream().mapToLong(n -> n.bootstrap().pool().formattedInBackground())
                .toArray();
        Files.delete(mount.resolve("filler"));
        Files.delete(mount.resolve("ballast"));

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (CopysetInfo c : copysets) {
            Written existing = acked.keySet().stream().filter(w -> w.copyset().equals(c)).findFirst().orElseThrow();
            byte[] second = page(-existing.chunkId());
            writeUntilAccepted(c, existing.chunkId(), PAGE, second, deadline);
            Written fresh = new Written(c, nextChunk++);
            writeUntilAccepted(c, fresh.chunkId(), 0, page(fresh.chunkId()), deadline);
            acked.put(fresh, page(fresh.chunkId()));
            assertThat(read(c, existing.chunkId(), PAGE)).isEqualTo(second);
        }
        assertAckedDataReadsBack();

        assertThat(cluster.chunkServers().stream().map(n -> (Object) n.bootstrap()).toList())
                .as("the same chunk services, never restarted").isEqualTo(contexts);
        for (ChunkNode n : cluster.chunkServers()) {
            for (CopysetInfo c : copysets) {
                assertThat(n.bootstrap().copysets().alive(c.logicalPoolId(), c.copysetId()))
                        .as("copyset %d on chunk server %d is alive", c.copysetId(), n.index).isTrue();
            }
            long before = formatted[n.index - 1];
            // Formatting again since space came back (each pool took three new chunks since), and not left empty.
            awaitTrue(() -> n.bootstrap().pool().formattedInBackground() > before
                    && n.bootstrap().pool().available() >= 1, "pool of chunk server " + n.index + " refilled");
            assertThat(n.bootstrap().copysets().stalledApplies()).isZero();
        }
        assertReplicasIdentical();
    }

    /** Writes one piece; answers the refusal, or null once a majority acknowledged it. */
    private static CamberException write(CopysetInfo c, long chunkId, long offset, byte[] data) throws Exception {
        try {
            client.write(c, VOLUME, EPOCH, chunkId, offset, ByteBuffer.wrap(data))
                    .get(REQUEST.toSeconds(), TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CamberException ce) {
                return ce;
            }
            throw new AssertionError("write failed with an unexpected error", e.getCause());
        }
    }

    private static void writeUntilAccepted(CopysetInfo c, long chunkId, long offset, byte[] data, long deadline)
            throws Exception {
        CamberException last;
        while ((last = write(c, chunkId, offset, data)) != null) {
            assertThat(last.code()).as(last.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
            if (System.nanoTime() > deadline) {
                fail("writes did not resume within 30 s of freeing space; last refusal: " + last.getMessage());
            }
            Thread.sleep(200);
        }
    }

    private static byte[] read(CopysetInfo c, long chunkId, long offset) throws Exception {
        ByteBuffer b = client.read(c, chunkId, offset, PAGE).get(REQUEST.toSeconds(), TimeUnit.SECONDS);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static void assertAckedDataReadsBack() throws Exception {
        for (Map.Entry<Written, byte[]> e : acked.entrySet()) {
            assertThat(read(e.getKey().copyset(), e.getKey().chunkId(), 0))
                    .as("chunk %d", e.getKey().chunkId()).isEqualTo(e.getValue());
        }
    }

    /** Waits until the three replicas of every copyset applied the same index. */
    private static void awaitReplicasCaughtUp() throws InterruptedException {
        for (CopysetInfo c : copysets) {
            List<CopysetStateMachine> replicas = replicas(c);
            awaitTrue(() -> replicas.stream().mapToLong(r -> r.getLastAppliedTermIndex().getIndex()).distinct()
                    .count() == 1, "the replicas of copyset " + c.copysetId() + " applied the same index");
        }
    }

    private static List<CopysetStateMachine> replicas(CopysetInfo c) {
        return cluster.chunkServers().stream()
                .map(n -> n.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId()).orElseThrow())
                .toList();
    }

    /** Every replica applied what its leader did, holds the same chunks, and each chunk has the same bytes. */
    private static void assertReplicasIdentical() throws Exception {
        awaitReplicasCaughtUp();
        for (CopysetInfo c : copysets) {
            List<CopysetStateMachine> replicas = replicas(c);
            List<String> files = names(replicas.get(0));
            for (CopysetStateMachine r : replicas) {
                assertThat(names(r)).isEqualTo(files);
            }
            for (String f : files) {
                long chunkId = Long.parseLong(f);
                ByteBuffer first = replicas.get(0).store().read(chunkId, 0, CHUNK);
                for (CopysetStateMachine r : replicas.subList(1, replicas.size())) {
                    assertThat(r.store().read(chunkId, 0, CHUNK)).as("chunk %d", chunkId).isEqualTo(first);
                }
            }
        }
    }

    /** A chunk server's metric as Prometheus scrapes it. */
    private static double metric(ChunkNode n, String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + n.httpPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(r.body());
        assertThat(m.find()).as("metric %s on chunk server %d among %s", name, n.index, r.body().lines()
                .filter(l -> l.startsWith("camber_chunk")).toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static List<String> names(CopysetStateMachine replica) {
        return replica.store().files().stream().map(p -> p.getFileName().toString()).sorted().toList();
    }

    private static void awaitCopysets() throws InterruptedException {
        awaitTrue(() -> cluster.chunkServers().stream().allMatch(n -> n.bootstrap().copysets() != null
                        && n.bootstrap().copysets().status().size() == COPYSETS)
                        && cluster.chunkServers().stream().flatMap(n -> n.bootstrap().copysets().status().stream())
                        .filter(s -> s.leader()).count() == COPYSETS,
                "every copyset on every chunk server, each with a leader");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        Await.until(condition, Duration.ofSeconds(60), what);
    }

    private static byte[] page(long seed) {
        byte[] b = new byte[PAGE];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes real bytes (tmpfs has no holes to hide in), stopping early if the disk fills. */
    private static void writeFile(Path file, long size) throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect((int) MIB);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = 0;
            while (pos < size) {
                block.clear().limit((int) Math.min(MIB, size - pos));
                pos += ch.write(block, pos);
            }
        }
    }

    private static void mountTmpfs(Path dir) throws Exception {
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", dir.toString());
        if (out != null) {
            String why = "cannot mount a " + TMPFS_SIZE + " tmpfs on " + dir + " (" + out + "): this test needs root"
                    + " (CAP_SYS_ADMIN) to give the chunk services a disk that really fills";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        mounted = true;
    }

    private static void unmount(Path dir) throws Exception {
        String out = run("umount", dir.toString());
        if (out != null && run("umount", "-l", dir.toString()) != null) {
            throw new IllegalStateException("cannot unmount the test tmpfs " + dir + ": " + out
                    + "; unmount it by hand (umount -l " + dir + ")");
        }
    }

    /** Runs a command; null when it succeeded, else its output and exit status. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish in 30 s";
        }
        return p.exitValue() == 0 ? null : out + " (exit " + p.exitValue() + ")";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
