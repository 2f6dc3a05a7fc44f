package io.camber.testkit;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.ChunkServerInfo;
import io.camber.common.api.ClusterHealth;
import io.camber.common.api.CopysetInfo;
import io.camber.testkit.MiniCluster.ChunkNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out and drain, under writes: 3 chunk services in 3 zones hold every copyset; 3 more join, one per zone, and
 * the MDS leader's balancer moves replicas onto them (each new replica catching up before the old one leaves) until
 * every chunk server holds as many copysets and leads as many, zones kept apart. Then one chunk server is drained
 * (its replicas move away), stopped and removed. No acknowledged write is lost, and the replicas of every copyset
 * hold the same bytes.
 */
class CopysetBalanceIT {
    private static final int COPYSETS = 12;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static MiniCluster cluster;
    private static AdminHttp http;
    private static MdsAdminClient mds;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).chunkServers(3).chunkSize(CopysetWrites.CHUNK).copysets(COPYSETS)
                .mdsProperty("camber.mds.chunkserver-unstable-after", "2s")
                .mdsProperty("camber.mds.chunkserver-offline-after", "4s")
                .mdsProperty("camber.mds.recovery.interval", "500ms")
                .mdsProperty("camber.mds.recovery.per-chunk-server", "3")
                // snapshots (and log purges) as writes go on, so new replicas may need a snapshot install
                .chunkProperty("camber.chunk.raft.snapshot-threshold", 40)
                .start();
        http = new AdminHttp(cluster.url());
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void scaleOutSpreadsReplicasAndLeadersEvenlyAndADrainedChunkServerIsRemoved() throws Exception {
        List<CopysetInfo> before = copysets();
        await(Duration.ofSeconds(60), "HEALTH_OK at start", () -> health().health().equals("HEALTH_OK"));
        ChunkClient client = new ChunkClient(64L << 20).useCopysetDirectory(() -> mds.copysets(""));
        client.authorize(cluster.clusterDataToken());
        ConcurrentHashMap<String, CopysetWrites.Written> acknowledged = new ConcurrentHashMap<>();
        Random random = new Random(3);
        List<CompletableFuture<Void>> first = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            first.add(CopysetWrites.write(client, before, random, i, acknowledged));
        }
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).join();

        // Writes go on through the member lists from before, while replicas move under them.
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> writeError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Random r = new Random(5);
            for (int n = 160; writing.get(); n++) { // until the end, writing slots again past SLOTS
                try {
                    CopysetWrites.write(client, before, r, n, acknowledged).join();
                    Thread.sleep(10);
                } catch (RuntimeException e) {
                    writeError.compareAndSet(null, e);
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "balance-it-writer");
        writer.start();

        long started = System.nanoTime();
        List<ChunkNode> added = new ArrayList<>();
        for (String zone : List.of("zone1", "zone2", "zone3")) {
            added.add(cluster.addChunkServer(zone));
        }
        // 36 replicas over 6 chunk servers: 6 each; 12 leaders: 2 each (within 10 % of the average is exact here)
        await(Duration.ofSeconds(150), "6 copysets and 2 leaders on each of 6 chunk servers, HEALTH_OK",
                () -> evenly(6, 6, 2) && health().health().equals("HEALTH_OK"));
        System.out.printf("balance: 3 -> 6 chunk servers balanced in %.1f s%n", (System.nanoTime() - started) / 1e9);
        for (CopysetInfo c : copysets()) {
            Set<String> zones = new HashSet<>();
            c.chunkServers().forEach(id -> zones.add(chunkServer(id).zone()));
            assertThat(zones).as("zones of copyset " + c.copysetId()).hasSize(3);
        }

        // Drain one of the first three: its replicas move to the others, then it is stopped and removed.
        ChunkNode drained = cluster.chunkServers().get(0);
        long drainedId = drained.bootstrap().chunkServerId();
        assertThat(http.post("/api/v1/chunkservers/" + drainedId + "/drain", null).status()).isEqualTo(200);
        await(Duration.ofSeconds(120), "chunk server " + drainedId + " drained, its old replicas deleted",
                () -> chunkServer(drainedId).copysets() == 0 && chunkServer(drainedId).replicas() == 0
                        && health().health().equals("HEALTH_OK") && CopysetWrites.copysetFolders(drained).isEmpty());
        assertThat(chunkServer(drainedId).draining()).isTrue();
        // Refused while it runs (once its last report shows no replica left, for that reason alone).
        await(Duration.ofSeconds(10), "removal refused while the chunk service runs", () -> {
            AdminHttp.Response running = http.delete("/api/v1/chunkservers/" + drainedId);
            return running.status() == 409 && running.raw().contains("stop its chunk service first");
        });

        cluster.stop(drained);
        await(Duration.ofSeconds(30), "chunk server " + drainedId + " removed once stopped", () -> {
            AdminHttp.Response removed = http.delete("/api/v1/chunkservers/" + drainedId);
            return removed.ok();
        });
        assertThat(chunkServers()).extracting(ChunkServerInfo::id).doesNotContain(drainedId).hasSize(5);
        await(Duration.ofSeconds(30), "HEALTH_OK without the removed chunk server",
                () -> health().health().equals("HEALTH_OK"));
        // Bad input: zone1's last chunk server cannot be drained (its replicas could go nowhere): a clear refusal.
        long lastOfZone1 = added.get(0).bootstrap().chunkServerId();
        AdminHttp.Response refused = http.post("/api/v1/chunkservers/" + lastOfZone1 + "/drain", null);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(refused.raw()).contains("cannot be drained", "zone zone1", "nothing was changed");
        assertThat(chunkServer(lastOfZone1).draining()).isFalse();
        for (CopysetInfo c : copysets()) {
            Set<String> zones = new HashSet<>();
            c.chunkServers().forEach(id -> zones.add(chunkServer(id).zone()));
            assertThat(zones).as("zones of copyset " + c.copysetId() + " after the drain").hasSize(3);
        }
        Thread.sleep(500); // a few more writes on the final members
        writing.set(false);
        writer.join(60_000);
        assertThat(writeError.get()).as("a write failed while replicas moved").isNull();

        CopysetWrites.assertReadBack(client, acknowledged);
        CopysetWrites.assertReplicasIdentical(cluster, copysets());
        client.close();
    }

    /**
     * Whether the live chunk servers number servers, each a member of copysets copysets and leading leaders of them
     * (as their Raft groups report it).
     */
    private static boolean evenly(int servers, int copysets, int leaders) {
        List<ChunkServerInfo> all = chunkServers();
        if (all.size() != servers || !all.stream().allMatch(cs -> cs.copysets() == copysets)) {
            return false;
        }
        Map<Long, Long> led = new HashMap<>();
        for (ChunkNode n : cluster.chunkServers()) {
            if (n.running()) {
                led.put(n.bootstrap().chunkServerId(), n.bootstrap().copysets().status().stream()
                        .filter(CopysetServer.CopysetStatus::leader).count());
            }
        }
        return led.size() == servers && led.values().stream().allMatch(n -> n == leaders);
    }

    /** Per running chunk server, the copysets it leads and the Raft peers it runs them with (for diagnosis). */
    private static String leaders() {
        StringBuilder out = new StringBuilder();
        for (ChunkNode n : cluster.chunkServers()) {
            if (n.running()) {
                out.append(n.bootstrap().chunkServerId()).append(':').append(n.bootstrap().copysets().status().stream()
                        .filter(CopysetServer.CopysetStatus::leader).map(st -> st.copysetId() + "" + st.peers())
                        .toList()).append(' ');
            }
        }
        return out.toString();
    }

    private static List<CopysetInfo> copysets() {
        return List.of(JSON.readValue(http.get("/api/v1/copysets").raw(), CopysetInfo[].class));
    }

    private static List<ChunkServerInfo> chunkServers() {
        return List.of(JSON.readValue(http.get("/api/v1/chunkservers").raw(), ChunkServerInfo[].class));
    }

    private static ChunkServerInfo chunkServer(long id) {
        return chunkServers().stream().filter(cs -> cs.id() == id).findFirst().orElseThrow();
    }

    private static ClusterHealth health() {
        return JSON.readValue(http.get("/api/v1/cluster/health").raw(), ClusterHealth.class);
    }

    private static void await(Duration timeout, String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        CopysetWrites.await(timeout, what, condition, () -> "health " + http.get("/api/v1/cluster/health").raw()
                + "; chunk servers " + http.get("/api/v1/chunkservers").raw() + "; copysets "
                + http.get("/api/v1/copysets").raw() + "; leaders " + leaders());
    }
}
