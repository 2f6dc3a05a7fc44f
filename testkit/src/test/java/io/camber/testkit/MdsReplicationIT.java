package io.camber.testkit;

import io.camber.testkit.AdminHttp.Response;
import io.camber.server.storage.DiskId;
import io.camber.testkit.MiniCluster.MdsNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three MDS replicas in one JVM: concurrent creates and segment allocations while the leader is
 * stopped; a new leader serves, nothing acknowledged is lost, and every replica restarts from its own
 * disk to the same state (also through a snapshot install, the log being purged every 50 entries).
 */
class MdsReplicationIT {
    private static MiniCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(3)
                .mdsProperty("camber.mds.raft.snapshot-threshold", 50)
                .mdsProperty("camber.mds.raft.segment-size", "16KB")
                // purge up to each snapshot, so a stopped replica must catch up by snapshot install
                .mdsProperty("camber.mds.raft.retain-for-followers", false)
                .start();
        cluster.awaitLeader(Duration.ofSeconds(30));
        Response r = http(cluster.mds().get(0)).post("/api/v1/topology/apply", Topologies.pool(3, 2, 60));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static AdminHttp http(MdsNode n) {
        return new AdminHttp(n.url());
    }

    /** What a client was told: volume path to id, and (path, offset) to the chunks of the segment. */
    private final Map<String, Long> volumes = new ConcurrentHashMap<>();
    private final Map<String, String> segments = new ConcurrentHashMap<>();

    @Test
    void leaderLossLosesNothingAcknowledgedAndReplicasRestartToTheSameState() throws Exception {
        MdsNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean stopLeader = new AtomicBoolean();
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            workers.add(pool.submit(() -> work(thread, 40, stopLeader)));
        }
        Thread.sleep(1500);
        cluster.stop(leader);
        stopLeader.set(true);
        int acknowledged = 0;
        for (Future<Integer> f : workers) {
            acknowledged += f.get();
        }
        pool.shutdown();
        assertThat(acknowledged).isGreaterThan(100);

        MdsNode newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
        assertThat(newLeader).isNotSameAs(leader);
        verifyAcknowledged(newLeader);

        cluster.restart(leader);
        cluster.awaitCaughtUp(Duration.ofSeconds(60));
        assertSameStateEverywhere();

        for (MdsNode n : cluster.mds()) {
            cluster.stop(n);
        }
        for (MdsNode n : cluster.mds()) {
            cluster.restart(n);
        }
        MdsNode afterRestart = cluster.awaitLeader(Duration.ofSeconds(30));
        cluster.awaitCaughtUp(Duration.ofSeconds(60));
        verifyAcknowledged(afterRestart);
        assertSameStateEverywhere();
    }

    @Test
    void aReplicaWhoseLogWasPurgedCatchesUpBySnapshot() throws Exception {
        MdsNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
        MdsNode follower = cluster.mds().stream().filter(n -> n != leader && n.running()).findFirst().orElseThrow();
        cluster.stop(follower);
        AdminHttp http = http(leader);
        for (int i = 0; i < 300; i++) {
            Response r = http.post("/api/v1/directories", Map.of("path", "/lagging-" + i));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        cluster.restart(follower);
        cluster.awaitCaughtUp(Duration.ofSeconds(60));
        assertThat(follower.replication().stateMachine().snapshotInstalls()).isGreaterThanOrEqualTo(1);
        assertSameStateEverywhere();
    }

    /**
     * Raft amnesia guard: a replica whose data directory was wiped refuses to start while the group knows its old
     * disk (voting with an empty log could elect a leader without committed changes). `rejoin` takes it out of the
     * group; it then starts on the empty directory, adds itself back, catches up, and the group records its new disk.
     */
    @Test
    void aReplicaOnAWipedDiskRefusesToStartUntilTakenOutThenRejoinsAndCatchesUp() throws Exception {
        MdsNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
        MdsNode wiped = cluster.mds().stream().filter(n -> n != leader && n.running()).findFirst().orElseThrow();
        String oldDisk = DiskId.of(wiped.dataDir);
        awaitTrue(Duration.ofSeconds(30), () -> oldDisk.equals(leader.replication().stateMachine()
                .recordedDisk(wiped.id)));
        cluster.stop(wiped);
        TestDirectories.delete(wiped.dataDir);
        Files.createDirectories(wiped.dataDir);

        assertThatThrownBy(() -> cluster.restart(wiped)).hasStackTraceContaining("starts on an empty data directory")
                .hasStackTraceContaining("camber cluster rejoin-mds " + wiped.id);
        assertThat(wiped.dataDir.resolve("raft")).as("no Raft storage made: it never voted").doesNotExist();

        AdminHttp http = http(leader);
        assertThat(http.post("/api/v1/cluster/mds/nosuch/rejoin", null).status()).isEqualTo(404);
        Response out = http.post("/api/v1/cluster/mds/" + wiped.id + "/rejoin", null);
        assertThat(out.status()).as(out.raw()).isEqualTo(200);
        for (int i = 0; i < 60; i++) { // the two left commit on their own, past a snapshot
            Response r = http.post("/api/v1/directories", Map.of("path", "/while-out-" + i));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }

        cluster.restart(wiped);
        String newDisk = DiskId.of(wiped.dataDir);
        assertThat(newDisk).isNotEqualTo(oldDisk);
        awaitTrue(Duration.ofSeconds(60), () -> newDisk.equals(leader.replication().stateMachine()
                .recordedDisk(wiped.id)) && leader.replication().node().membersSeenBy(leader.id)
                .map(m -> m.contains(wiped.id)).orElse(false));
        cluster.awaitCaughtUp(Duration.ofSeconds(60));
        assertSameStateEverywhere();
    }

    private static void awaitTrue(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Creates volumes and allocates segments through any running replica, retrying while there is no leader. */
    private int work(int thread, int count, AtomicBoolean leaderStopped) {
        int acks = 0;
        for (int i = 0; i < count; i++) {
            String path = "/t" + thread + "-v" + i;
            int seed = thread + i;
            Response created = retry(() -> anyRunning(seed).post("/api/v1/volumes",
                    Map.of("path", path, "size", "4GiB", "owner", "t" + thread)));
            if (created.ok()) {
                volumes.put(path, created.body().get("id").asLong());
                acks++;
            } else {
                // A retry of a create that was committed before the leader went away.
                assertThat(created.code()).as(created.raw()).isEqualTo("ALREADY_EXISTS");
                volumes.put(path, retry(() -> anyRunning(thread).get("/api/v1/volumes/stat?path=" + AdminHttp.q(path)))
                        .body().get("id").asLong());
            }
            for (long offset : new long[] {0, 3L << 30}) {
                Response seg = retry(() -> anyRunning(thread).post("/api/v1/volumes/segments",
                        Map.of("path", path, "offset", offset)));
                assertThat(seg.status()).as(seg.raw()).isEqualTo(200);
                segments.put(path + "@" + offset, seg.body().get("chunks").toString());
                acks++;
            }
        }
        return acks;
    }

    private AdminHttp anyRunning(int seed) {
        List<MdsNode> running = cluster.mds().stream().filter(MdsNode::running).toList();
        // Random, so a retry soon moves off a replica that is shutting down.
        return http(running.get(Math.floorMod(seed + java.util.concurrent.ThreadLocalRandom.current().nextInt(3),
                running.size())));
    }

    private static Response retry(java.util.function.Supplier<Response> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                Response r = call.get();
                if (r.status() != 503 || attempt > 100) {
                    return r;
                }
            } catch (RuntimeException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void verifyAcknowledged(MdsNode via) {
        AdminHttp http = http(via);
        for (Map.Entry<String, Long> v : volumes.entrySet()) {
            Response stat = retry(() -> http.get("/api/v1/volumes/stat?path=" + AdminHttp.q(v.getKey())));
            assertThat(stat.status()).as(stat.raw()).isEqualTo(200);
            assertThat(stat.body().get("id").asLong()).isEqualTo(v.getValue());
        }
        Set<Long> chunkIds = new HashSet<>();
        for (Map.Entry<String, String> s : segments.entrySet()) {
            String[] parts = s.getKey().split("@");
            Response seg = retry(() -> http.post("/api/v1/volumes/segments",
                    Map.of("path", parts[0], "offset", Long.parseLong(parts[1]))));
            assertThat(seg.body().get("chunks").toString()).isEqualTo(s.getValue());
            for (JsonNode c : seg.body().get("chunks")) {
                assertThat(chunkIds.add(c.get("chunkId").asLong())).as("chunk ids are unique").isTrue();
            }
        }
    }

    private void assertSameStateEverywhere() {
        Set<String> digests = new HashSet<>();
        for (MdsNode n : cluster.mds()) {
            digests.add(n.replication().stateMachine().store().digest());
        }
        assertThat(digests).hasSize(1);
    }
}
