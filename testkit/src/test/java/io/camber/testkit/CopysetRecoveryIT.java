package io.camber.testkit;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.copyset.CopysetStateMachine;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.ClusterHealth;
import io.camber.common.api.CopysetInfo;
import io.camber.testkit.MiniCluster.ChunkNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private static final long CHUNK = 1 << 20;
    private static final int SLOT = 64 << 10;
    private static final int CHUNKS = 80;
    /** Writes at most: one per 64 KiB slot of every chunk. */
    private static final int SLOTS = CHUNKS * (int) (CHUNK / SLOT);
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
        ConcurrentLinkedQueue<Written> acknowledged = new ConcurrentLinkedQueue<>();
        Random random = new Random(7);
        List<CompletableFuture<Void>> first = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            first.add(write(client, before, random, i, acknowledged));
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
                    write(client, before, r, n, acknowledged).join();
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

        for (Written w : acknowledged) {
            ByteBuffer read = client.read(w.copyset(), w.chunkId(), w.offset(), w.data().length).join();
            assertThat(ChunkReplicationIT.bytes(read)).as("chunk " + w.chunkId()).isEqualTo(w.data());
        }
        assertReplicasIdentical(after);

        // The lost chunk server comes back: its old replicas go (the leaders run configurations without it), and it
        // rejoins holding nothing, counted up, the cluster still HEALTH_OK and every write still readable.
        cluster.restart(victim);
        await(Duration.ofSeconds(60), "chunk server " + victimId + " dropped its old replicas",
                () -> copysetFolders(victim).isEmpty() && victim.bootstrap().copysets().unlisted(List.of()).isEmpty()
                        && health().chunkServersUp() == 4);
        assertThat(health().health()).isEqualTo("HEALTH_OK");
        assertThat(copysets()).allMatch(c -> !c.chunkServers().contains(victimId));
        for (Written w : acknowledged) {
            ByteBuffer read = client.read(w.copyset(), w.chunkId(), w.offset(), w.data().length).join();
            assertThat(ChunkReplicationIT.bytes(read)).as("chunk " + w.chunkId()).isEqualTo(w.data());
        }
        client.close();
    }

    private static List<java.nio.file.Path> copysetFolders(ChunkNode node) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(
                node.dataDir.resolve("copysets"))) {
            return left.toList();
        }
    }

    private record Written(CopysetInfo copyset, long chunkId, long offset, byte[] data) {
    }

    /**
     * Write n: 1-16 random pages into a 64 KiB slot of its own (chunk n % CHUNKS, slot n / CHUNKS), remembered once
     * acknowledged. Slots, not a chunk per write: every chunk is an open file on each replica.
     */
    private static CompletableFuture<Void> write(ChunkClient client, List<CopysetInfo> copysets, Random random,
                                                 int n, ConcurrentLinkedQueue<Written> acknowledged) {
        CopysetInfo c = copysets.get(n % CHUNKS % copysets.size());
        long chunkId = 1000 + n % CHUNKS;
        byte[] data = new byte[4096 * (1 + random.nextInt(16))];
        random.nextBytes(data);
        long offset = (long) (n / CHUNKS) * SLOT;
        return client.write(c, 7, 1, chunkId, offset, ByteBuffer.wrap(data))
                .thenRun(() -> acknowledged.add(new Written(c, chunkId, offset, data)));
    }

    /** Every chunk file of every copyset is the same on its three current members, once they applied as much. */
    private static void assertReplicasIdentical(List<CopysetInfo> copysets) throws Exception {
        Map<Long, ChunkNode> nodes = new java.util.HashMap<>();
        cluster.chunkServers().stream().filter(ChunkNode::running)
                .forEach(n -> nodes.put(n.bootstrap().chunkServerId(), n));
        for (CopysetInfo c : copysets) {
            List<CopysetStateMachine> replicas = c.chunkServers().stream()
                    .map(id -> nodes.get(id).bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId())
                            .orElseThrow()).toList();
            long applied = replicas.stream().mapToLong(r -> r.getLastAppliedTermIndex().getIndex()).max().orElse(0);
            await(Duration.ofSeconds(30), "copyset " + c.copysetId() + " applied everywhere",
                    () -> replicas.stream().allMatch(r -> r.getLastAppliedTermIndex().getIndex() >= applied));
            List<String> names = replicas.get(0).store().files().stream().map(p -> p.getFileName().toString())
                    .sorted().toList();
            for (CopysetStateMachine r : replicas) {
                assertThat(r.store().files().stream().map(p -> p.getFileName().toString()).sorted().toList())
                        .as("chunk files of copyset " + c.copysetId()).isEqualTo(names);
            }
            for (String name : names) {
                long chunkId = Long.parseLong(name);
                byte[] first = ChunkReplicationIT.bytes(replicas.get(0).store().read(chunkId, 0, (int) CHUNK));
                for (CopysetStateMachine r : replicas.subList(1, replicas.size())) {
                    assertThat(ChunkReplicationIT.bytes(r.store().read(chunkId, 0, (int) CHUNK)))
                            .as("chunk " + chunkId + " of copyset " + c.copysetId()).isEqualTo(first);
                }
            }
        }
    }

    private static void await(Duration timeout, String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Exception> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = Optional.of(e);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + timeout + ": " + what + last.map(e -> " (last error: " + e + ")")
                .orElse("") + "; health " + http.get("/api/v1/cluster/health").raw() + "; copysets "
                + http.get("/api/v1/copysets/health").raw(), last.orElse(null));
    }
}
