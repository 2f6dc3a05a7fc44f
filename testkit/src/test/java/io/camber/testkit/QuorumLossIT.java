package io.camber.testkit;

import io.camber.client.block.CamberVolume;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.OpenMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One copyset loses its quorum (two of its three chunk servers stop): volumes that need nothing from it still open
 * in a moment and their IO works, and when the servers come back the data there is intact. Six chunk servers in
 * six zones, so copysets without the stopped pair exist.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumLossIT {
    private static final long CHUNK = 1024 * 1024;
    private static final long VOLUME = 64 * CHUNK; // one segment
    private static final int COPYSETS = 8;
    private static MiniCluster cluster;
    private static MdsAdminClient mds;
    private static ChunkClient chunks;
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        // silent chunk servers count as down after 3 s, so health follows the stops quickly
        cluster = MiniCluster.builder().mds(1).chunkServers(6).chunkSize(CHUNK).copysets(COPYSETS)
                .mdsProperty("camber.mds.chunkserver-unstable-after", "3s")
                .mdsProperty("camber.mds.balance.enabled", "false") // the members these tests pick stay put
                .start();
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
        chunks = new ChunkClient(64L << 20);
    }

    @AfterAll
    static void stop() throws Exception {
        chunks.close();
        cluster.close();
    }

    @Test
    @Order(1)
    void volumesThatNeedNothingFromACopysetWithoutQuorumOpenAtOnceAndWork() throws Exception {
        AdminHttp http = new AdminHttp(cluster.url());
        for (String path : List.of("/lost", "/other")) {
            assertThat(http.post("/api/v1/volumes", Map.of("path", path, "size", VOLUME + "")).status()).isEqualTo(201);
        }
        // /other's segment exists before the quorum goes (where its chunks lie is dealt by the MDS); it has no data
        assertThat(http.post("/api/v1/volumes/segments", Map.of("path", "/other", "offset", "0")).status())
                .isEqualTo(200);
        // /lost gets a page in every chunk of its segment, so it has data on every copyset
        try (CamberVolume v = CamberVolume.open(mds, chunks, "/lost", OpenMode.READ_WRITE, "before", METRICS)) {
            for (long c = 0; c < VOLUME / CHUNK; c++) {
                v.write(c * CHUNK, ByteBuffer.wrap(page(c))).join();
            }
        }
        Map<Integer, Set<Integer>> members = copysetMembers(http); // copyset id -> chunk node indexes
        int[] pair = pairSharingACopysetAndMissingAnother(members);
        List<MiniCluster.ChunkNode> stopped = List.of(node(pair[0]), node(pair[1]));
        Set<Integer> healthy = new HashSet<>();
        members.forEach((copyset, nodes) -> {
            if (!nodes.contains(pair[0]) && !nodes.contains(pair[1])) {
                healthy.add(copyset);
            }
        });
        awaitHealth(http, "HEALTH_OK");
        stopped.forEach(cluster::stop);
        try {
            JsonNode health = awaitHealth(http, "HEALTH_ERR", 4);
            assertThat(health.get("reasons").get(0).asString()).contains("copysets unavailable");
            awaitCopysetStates(http, members, pair);
            long t0 = System.nanoTime();
            try (CamberVolume other = CamberVolume.open(mds, chunks, "/other", OpenMode.READ_WRITE, "other",
                    METRICS)) {
                Duration opened = Duration.ofNanos(System.nanoTime() - t0);
                System.out.println("quorum-loss: open of /other took " + opened.toMillis() + " ms");
                assertThat(opened).as("open of a volume without data on the lost copyset").isLessThan(Duration.ofSeconds(5));
                List<Long> onHealthy = chunksOn(http, "/other", healthy);
                assertThat(onHealthy).isNotEmpty();
                for (long c : onHealthy) {
                    other.write(c * CHUNK + 4096, ByteBuffer.wrap(page(c + 1000))).join();
                    assertThat(bytes(other.read(c * CHUNK + 4096, 4096).join())).isEqualTo(page(c + 1000));
                }
            }
            // even the volume with data there opens without waiting for it, and works wherever a quorum is
            t0 = System.nanoTime();
            try (CamberVolume lost = CamberVolume.open(mds, chunks, "/lost", OpenMode.READ_WRITE, "during",
                    METRICS)) {
                System.out.println("quorum-loss: open of /lost took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("open of the volume with data there")
                        .isLessThan(Duration.ofSeconds(5));
                for (long c : chunksOn(http, "/lost", healthy)) {
                    assertThat(bytes(lost.read(c * CHUNK, 4096).join())).isEqualTo(page(c));
                    lost.write(c * CHUNK + 8192, ByteBuffer.wrap(page(c + 2000))).join();
                }
            }
        } finally {
            stopped.forEach(cluster::restart);
        }
        awaitHealth(http, "HEALTH_OK");
        try (CamberVolume v = CamberVolume.open(mds, chunks, "/lost", OpenMode.READ_ONLY, "after", METRICS)) {
            for (long c = 0; c < VOLUME / CHUNK; c++) {
                assertThat(bytes(v.read(c * CHUNK, 4096).join())).as("chunk " + c).isEqualTo(page(c));
            }
        }
    }

    /**
     * A wiped disk cannot come back under its old id (Raft amnesia): the chunk server at its address joins as a new
     * one, the old one is retired, and recovery rebuilds its replicas at once (a retired disk is not waited for):
     * afterwards no copyset counts the old id, any copyset that took the new chunk server took it as a new member
     * caught up by its leader, the cluster is HEALTH_OK again, and every acknowledged write reads back.
     */
    @Test
    @Order(2)
    void aChunkServerWhoseDiskWasWipedJoinsAsANewOneAndItsPredecessorIsRetired() throws Exception {
        AdminHttp http = new AdminHttp(cluster.url());
        awaitHealth(http, "HEALTH_OK");
        MiniCluster.ChunkNode node = cluster.chunkServers().get(0);
        long oldId = idAt(http, node.raftPort, -1);
        cluster.stop(node);
        TestDirectories.delete(node.dataDir);
        java.nio.file.Files.createDirectories(node.dataDir);
        cluster.restart(node);

        long newId = idAt(http, node.raftPort, oldId);
        assertThat(newId).isNotEqualTo(oldId);
        JsonNode retired = null;
        for (JsonNode cs : http.get("/api/v1/chunkservers").body()) {
            if (cs.get("id").asLong() == oldId) {
                retired = cs;
            }
        }
        assertThat(retired).as("the old chunk server stays listed").isNotNull();
        assertThat(retired.get("state").asString()).isEqualTo("RETIRED");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (copysetsNaming(http, oldId) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(copysetsNaming(http, oldId)).as("copysets still counting the retired chunk server").isZero();
        awaitHealth(http, "HEALTH_OK");
        try (CamberVolume v = CamberVolume.open(mds, chunks, "/lost", OpenMode.READ_WRITE, "after-wipe", METRICS)) {
            for (long c = 0; c < VOLUME / CHUNK; c++) {
                assertThat(bytes(v.read(c * CHUNK, 4096).join())).as("chunk " + c).isEqualTo(page(c));
            }
        }
    }

    private static long copysetsNaming(AdminHttp http, long chunkServerId) {
        long n = 0;
        for (JsonNode c : http.get("/api/v1/copysets").body()) {
            for (JsonNode m : c.get("chunkServers")) {
                n += m.asLong() == chunkServerId ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * Waits up to 30 s until every copyset's state is what the stopped pair implies: health follows heartbeats, and
     * one sent just before a stop can land late and count its server up for another few seconds.
     */
    private static void awaitCopysetStates(AdminHttp http, Map<Integer, Set<Integer>> members, int[] pair)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> wrong = List.of();
        while (System.nanoTime() < deadline) {
            wrong = new ArrayList<>();
            for (JsonNode c : http.get("/api/v1/copysets/health").body()) {
                Set<Integer> nodes = members.get(c.get("copysetId").asInt());
                String expected = nodes.contains(pair[0]) && nodes.contains(pair[1]) ? "UNAVAILABLE"
                        : nodes.contains(pair[0]) || nodes.contains(pair[1]) ? "DEGRADED" : "HEALTHY";
                if (!expected.equals(c.get("state").asString())) {
                    wrong.add("copyset " + c.get("copysetId") + " is " + c.get("state").asString() + ", not "
                            + expected);
                }
            }
            if (wrong.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("copyset states after 30 s: " + wrong);
    }

    /** The id of the chunk server ONLINE at that Raft port, other than notId. */
    private static long idAt(AdminHttp http, int raftPort, long notId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode cs : http.get("/api/v1/chunkservers").body()) {
                if (cs.get("port").asInt() == raftPort && cs.get("id").asLong() != notId
                        && "ONLINE".equals(cs.get("state").asString())) {
                    return cs.get("id").asLong();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no chunk server ONLINE at raft port " + raftPort);
    }

    /** Waits up to 30 s for the cluster's verdict; returns the health document. */
    private static JsonNode awaitHealth(AdminHttp http, String verdict) throws InterruptedException {
        return awaitHealth(http, verdict, verdict.equals("HEALTH_OK") ? 6 : -1);
    }

    /** Waits for the verdict with that many chunk servers up (-1: any number). */
    private static JsonNode awaitHealth(AdminHttp http, String verdict, int up) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode h = null;
        while (System.nanoTime() < deadline) {
            h = http.get("/api/v1/cluster/health").body();
            if (verdict.equals(h.get("health").asString()) && (up < 0 || h.get("chunkServersUp").asInt() == up)) {
                return h;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("health is not " + verdict + " after 30 s: " + h);
    }

    private static Map<Integer, Set<Integer>> copysetMembers(AdminHttp http) {
        Map<Integer, Set<Integer>> out = new java.util.TreeMap<>();
        for (JsonNode c : http.get("/api/v1/copysets").body()) {
            Set<Integer> nodes = new HashSet<>();
            for (JsonNode address : c.get("addresses")) {
                int port = Integer.parseInt(address.asString().substring(address.asString().lastIndexOf(':') + 1));
                cluster.chunkServers().stream().filter(n -> n.raftPort == port).forEach(n -> nodes.add(n.index));
            }
            assertThat(nodes).hasSize(3);
            out.put(c.get("copysetId").asInt(), nodes);
        }
        return out;
    }

    /** Two chunk nodes that are both members of some copyset, while some other copyset has neither. */
    private static int[] pairSharingACopysetAndMissingAnother(Map<Integer, Set<Integer>> members) {
        for (Set<Integer> nodes : members.values()) {
            Integer[] m = nodes.toArray(Integer[]::new);
            for (int i = 0; i < m.length; i++) {
                for (int j = i + 1; j < m.length; j++) {
                    int a = m[i];
                    int b = m[j];
                    if (members.values().stream().anyMatch(s -> !s.contains(a) && !s.contains(b))) {
                        return new int[]{a, b};
                    }
                }
            }
        }
        throw new AssertionError("no copyset layout to test with: " + members);
    }

    private static MiniCluster.ChunkNode node(int index) {
        return cluster.chunkServers().stream().filter(n -> n.index == index).findFirst().orElseThrow();
    }

    /** Chunk indexes of the volume's first segment that live on the given copysets. */
    private static List<Long> chunksOn(AdminHttp http, String path, Set<Integer> copysets) {
        List<Long> out = new ArrayList<>();
        JsonNode segment = http.get("/api/v1/volumes/segments/at?path=" + path + "&offset=0").body();
        long i = 0;
        for (JsonNode c : segment.get("chunks")) {
            if (copysets.contains(c.get("copysetId").asInt())) {
                out.add(i);
            }
            i++;
        }
        return out;
    }

    private static byte[] page(long seed) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) (seed * 31 + 7));
        b[0] = (byte) seed;
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
