package io.camber.testkit;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.ClusterHealth;
import io.camber.common.api.CopysetInfo;
import io.camber.testkit.MiniCluster.ChunkNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-healing: 4 chunk services in 4 zones, one stopped for good while writes go on. The MDS leader's recover
 * scheduler replaces it in each of its copysets by the fourth chunk server, whose new replica catches up (log or
 * snapshot) before the copyset's leader commits the new configuration. Then the cluster is HEALTH_OK with the dead
 * chunk server still down, every acknowledged write reads back through a client that still held the old member
 * lists, and the three replicas of every copyset hold the same bytes. When the lost chunk server comes back, it
 * deletes its old replicas and rejoins holding nothing.
 */
class CopysetRecoveryIT {
    private static final long CHUNK = CopysetWrites.CHUNK;
    private static final int SLOTS = CopysetWrites.SLOTS;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static MiniCluster cluster;
    private static AdminHttp http;
    private static MdsAdminClient mds;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).chunkServers(4).chunkSize(CHUNK).copysets(8)
                .mdsProperty("camber.mds.chunkserver-unstable-after", "5s")
                .mdsProperty("camber.mds.chunkserver-offline-after", "20s")
                .mdsProperty("camber.mds.recovery.after", "20s")
                .mdsProperty("camber.mds.recovery.interval", "500ms")
                .mdsProperty("camber.mds.recovery.per-chunk-server", "3")
                // recovery alone: the lost chunk server returns empty, which the balancer would fill again
                .mdsProperty("camber.mds.balance.enabled", "false")
                // snapshots (and log purges) while the victim is down, so a new replica may need a snapshot install
                .chunkProperty("camber.chunk.raft.snapshot-threshold", 40)
                .start();
        http = new AdminHttp(cluster.url());
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static List<CopysetInfo> copysets() {
        return List.of(JSON.readValue(http.get("/api/v1/copysets").raw(), CopysetInfo[].class));
    }

    private static ClusterHealth health() {
        return JSON.readValue(http.get("/api/v1/cluster/health").raw(), ClusterHealth.class);
    }

    @Test
    void aLostChunkServersReplicasAreRebuiltElsewhereAndNoAcknowledgedWriteIsLost() throws Exception {
        List<CopysetInfo> before = copysets();
        assertThat(before).hasSize(8);
        await(Duration.ofSeconds(60), "HEALTH_OK at start", () -> health().health().equals("HEALTH_OK"));
        ChunkClient client = new ChunkClient(64L << 20).useCopysetDirectory(() -> mds.copysets(""));
        client.authorize(cluster.clusterDataToken());
        java.util.concurrent.ConcurrentHashMap<String, CopysetWrites.Written> acknowledged =
                new java.util.concurrent.ConcurrentHashMap<>();
        Random random = new Random(7);
        List<CompletableFuture<Void>> first = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            first.add(CopysetWrites.write(client, before, random, i, acknowledged));
        }
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).join();

        ChunkNode victim = cluster.chunkServers().stream()
                .max(Comparator.comparingLong(n -> n.bootstrap().copysets().status().stream()
                        .filter(CopysetServer.CopysetStatus::leader).count())).orElseThrow();
        long victimId = victim.bootstrap().chunkServerId();
        long hosted = before.stream().filter(c -> c.chunkServers().contains(victimId)).count();
        assertThat(hosted).as("copysets on the victim").isPositive();
        cluster.stop(victim);

        // Writes go on while the copysets are rebuilt, through the member lists from before the failure.
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> writeError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Random r = new Random(11);
            for (int n = 240; writing.get() && n < SLOTS; n++) {
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
        }, "recovery-it-writer");
        writer.start();

        await(Duration.ofSeconds(120), "every copyset rebuilt without chunk server " + victimId + " and HEALTH_OK",
                () -> copysets().stream().noneMatch(c -> c.chunkServers().contains(victimId))
                        && health().health().equals("HEALTH_OK"));
        Thread.sleep(1000); // a few more writes on the new configurations
        writing.set(false);
        writer.join(60_000);
        assertThat(writeError.get()).as("a write failed while the copysets were rebuilt").isNull();

        List<CopysetInfo> after = copysets();
        for (CopysetInfo c : after) {
            assertThat(new HashSet<>(c.chunkServers())).as("members of copyset " + c.copysetId()).hasSize(3)
                    .doesNotContain(victimId);
            if (before.get(c.copysetId() - 1).chunkServers().contains(victimId)) {
                assertThat(c.epoch()).as("changes of copyset " + c.copysetId()).isPositive();
            }
        }
        ClusterHealth h = health();
        assertThat(h.chunkServersUp()).isEqualTo(3);
        assertThat(h.copysetsHealthy()).isEqualTo(8);

        CopysetWrites.assertReadBack(client, acknowledged);
        CopysetWrites.assertReplicasIdentical(cluster, after);

        // The lost chunk server comes back: its old replicas go (the leaders run configurations without it), and it
        // rejoins holding nothing, counted up, the cluster still HEALTH_OK and every write still readable.
        cluster.restart(victim);
        await(Duration.ofSeconds(60), "chunk server " + victimId + " dropped its old replicas",
                () -> CopysetWrites.copysetFolders(victim).isEmpty() && victim.bootstrap().copysets().unlisted(List.of()).isEmpty()
                        && health().chunkServersUp() == 4);
        assertThat(health().health()).isEqualTo("HEALTH_OK");
        assertThat(copysets()).allMatch(c -> !c.chunkServers().contains(victimId));
        CopysetWrites.assertReadBack(client, acknowledged);
        client.close();
    }

    private static void await(Duration timeout, String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        CopysetWrites.await(timeout, what, condition, () -> "health " + http.get("/api/v1/cluster/health").raw()
                + "; copysets " + http.get("/api/v1/copysets/health").raw());
    }
}
