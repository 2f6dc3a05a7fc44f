package io.camber.testkit;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.copyset.CopysetStateMachine;
import io.camber.client.chunk.ChunkClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.testkit.MiniCluster.ChunkNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MDS + 3 chunk services in one JVM: replicated chunk writes, reads, fencing, bad input and liveness. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ChunkReplicationIT {
    private static final long CHUNK = 1024 * 1024;
    private static MiniCluster cluster;
    private static List<CopysetInfo> copysets;
    private static ChunkClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).chunkServers(3).chunkSize(CHUNK).copysets(12)
                .mdsProperty("camber.mds.chunkserver-unstable-after", "2s")
                .mdsProperty("camber.mds.chunkserver-offline-after", "4s")
                .chunkProperty("camber.chunk.scrub.interval", "2s")
                .chunkProperty("camber.chunk.scrub.rate", "256MB")
                .start();
        AdminHttp http = new AdminHttp(cluster.url());
        copysets = List.of(JsonMapper.builder().build().readValue(http.get("/api/v1/copysets").raw(),
                CopysetInfo[].class));
        assertThat(copysets).hasSize(12);
        awaitCopysets(Duration.ofSeconds(60));
        client = new ChunkClient(64L << 20);
        client.authorize(cluster.clusterDataToken());
    }

    /** Waits until every chunk server hosts every copyset and each copyset has a leader. */
    private static void awaitCopysets(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<List<CopysetServer.CopysetStatus>> all = cluster.chunkServers().stream()
                    .map(n -> n.bootstrap().copysets().status()).toList();
            long leaders = all.stream().flatMap(List::stream).filter(CopysetServer.CopysetStatus::leader).count();
            if (all.stream().allMatch(l -> l.size() == copysets.size()) && leaders == copysets.size()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("copysets did not come up within " + timeout);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        cluster.close();
    }

    @Test
    void writesAreReadBackAndEveryReplicaHoldsTheSameBytes() throws Exception {
        Random random = new Random(42);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        List<Object[]> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            CopysetInfo c = copysets.get(random.nextInt(copysets.size()));
            long chunkId = 1000 + i; // one write per chunk: the expected content is unambiguous
            int pages = 1 << random.nextInt(9);
            int length = (int) Math.min(CHUNK, pages * 4096L);
            long offset = 4096L * random.nextInt((int) ((CHUNK - length) / 4096) + 1);
            byte[] data = new byte[length];
            random.nextBytes(data);
            writes.add(client.write(c, 7, 1, chunkId, offset, ByteBuffer.wrap(data)));
            expected.add(new Object[] {c, chunkId, offset, data});
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        for (Object[] e : expected) {
            CopysetInfo c = (CopysetInfo) e[0];
            byte[] data = (byte[]) e[3];
            ByteBuffer read = client.read(c, (long) e[1], (long) e[2], data.length).join();
            assertThat(bytes(read)).isEqualTo(data);
            ByteBuffer before = client.read(c, (long) e[1], 0, 4096).join();
            if ((long) e[2] >= 4096) {
                assertThat(bytes(before)).containsOnly(0);
            }
        }
        assertReplicasIdentical();
    }

    /**
     * Bit rot on a replica: a byte flipped in a chunk file behind the chunk server's back. A read on the leader never
     * returns it (another replica answers), the scrub repairs the leader's copy and, on its own, a follower's; a page
     * bad on every replica fails the read instead of returning wrong bytes, until a client rewrites it.
     */
    @Test
    void aFlippedByteIsNeverReadAndTheScrubRepairsEveryReplica() throws Exception {
        CopysetInfo c = copysets.get(2);
        byte[] data = new byte[8 * 4096];
        new Random(9).nextBytes(data);
        client.write(c, 0, 0, 9000, 0, ByteBuffer.wrap(data)).join();
        awaitCopysets(Duration.ofSeconds(60));
        ChunkNode leader = leaderOf(c);
        ChunkNode follower = cluster.chunkServers().stream().filter(n -> n != leader).findFirst().orElseThrow();
        CopysetStateMachine onLeader = replica(leader, c);
        CopysetStateMachine onFollower = replica(follower, c);
        awaitApplied(() -> onFollower.store().stat(9000).writtenPages() == 8);

        flipDataByte(onLeader, 9000, 2 * 4096 + 17);
        assertThatThrownBy(() -> onLeader.store().read(9000, 0, data.length))
                .isInstanceOf(io.camber.chunk.store.CorruptPagesException.class);
        assertThat(bytes(client.read(c, 9000, 0, data.length).join())).as("read through the leader").isEqualTo(data);
        awaitRepaired(onLeader, 9000, data);

        flipDataByte(onFollower, 9000, 5 * 4096);
        awaitRepaired(onFollower, 9000, data);
        long found = cluster.chunkServers().stream()
                .mapToLong(n -> n.bootstrap().copysets().integrity().repairedPages()).sum();
        assertThat(found).as("pages repaired, counted by the leaders").isGreaterThanOrEqualTo(2);

        // The same page bad everywhere: no replica can answer it, and the read fails rather than lie.
        client.write(c, 0, 0, 9001, 0, ByteBuffer.wrap(data, 0, 4096)).join();
        for (ChunkNode n : cluster.chunkServers()) {
            CopysetStateMachine r = replica(n, c);
            awaitApplied(() -> r.store().stat(9001).writtenPages() == 1);
            flipDataByte(r, 9001, 100);
        }
        assertCode(() -> client.read(c, 9001, 0, 4096).join(), ErrorCode.UNAVAILABLE);
        client.write(c, 0, 0, 9001, 0, ByteBuffer.wrap(data, 4096, 4096)).join();
        assertThat(bytes(client.read(c, 9001, 0, 4096).join())).isEqualTo(java.util.Arrays.copyOfRange(data, 4096,
                8192));
        awaitCondition(() -> cluster.chunkServers().stream()
                .allMatch(n -> n.bootstrap().copysets().integrity().unrepairedPages() == 0), "no unrepaired pages left");
        assertReplicasIdentical();
    }

    private static ChunkNode leaderOf(CopysetInfo c) {
        return cluster.chunkServers().stream().filter(n -> n.bootstrap().copysets().status().stream()
                .anyMatch(s -> s.copysetId() == c.copysetId() && s.leader())).findFirst().orElseThrow();
    }

    private static CopysetStateMachine replica(ChunkNode n, CopysetInfo c) {
        return n.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId()).orElseThrow();
    }

    /** Flips one byte of a chunk's data in its file, as a failing disk would, without the chunk server knowing. */
    private static void flipDataByte(CopysetStateMachine replica, long chunkId, long offset) throws Exception {
        java.nio.file.Path file = replica.store().chunksDir().resolve(Long.toString(chunkId));
        long position = io.camber.chunk.store.ChunkLayout.of(CHUNK).metaSize() + offset;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, position);
        }
    }

    private static void awaitRepaired(CopysetStateMachine replica, long chunkId, byte[] expected) throws Exception {
        awaitCondition(() -> {
            try {
                return java.util.Arrays.equals(bytes(replica.store().read(chunkId, 0, expected.length)), expected);
            } catch (io.camber.chunk.store.CorruptPagesException e) {
                return false;
            }
        }, "the scrub repaired chunk " + chunkId);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void anOlderEpochIsRefusedOnEveryReplicaAfterANewerOneWasSeen() {
        CopysetInfo c = copysets.get(0);
        client.write(c, 99, 5, 5000, 0, ByteBuffer.wrap(new byte[4096])).join();
        assertThatThrownBy(() -> client.write(c, 99, 4, 5000, 4096, ByteBuffer.wrap(new byte[4096])).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(CamberException.class)
                .satisfies(t -> assertThat(((CamberException) t.getCause()).code()).isEqualTo(ErrorCode.FENCED));
        for (ChunkNode n : cluster.chunkServers()) {
            CopysetStateMachine sm = n.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId()).orElseThrow();
            // the epoch is recorded before the page lands within one apply, so wait for both
            awaitApplied(() -> sm.epochs().getOrDefault(99L, 0L) == 5L && sm.store().stat(5000).writtenPages() == 1);
            assertThat(sm.store().stat(5000).writtenPages()).isEqualTo(1);
        }
    }

    @Test
    void badRequestsGetClearErrorsAndChangeNothing() {
        CopysetInfo c = copysets.get(1);
        assertCode(() -> client.write(c, 0, 0, 6000, 100, ByteBuffer.wrap(new byte[4096])).join(), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> client.write(c, 0, 0, 6000, 0, ByteBuffer.wrap(new byte[1000])).join(), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> client.write(c, 0, 0, 6000, CHUNK, ByteBuffer.wrap(new byte[4096])).join(), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> client.read(c, 6000, 4095, 4096).join(), ErrorCode.INVALID_ARGUMENT);
        assertThat(client.read(c, 6000, 0, 4096).join().remaining()).isEqualTo(4096);
        for (ChunkNode n : cluster.chunkServers()) {
            assertThat(n.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId()).orElseThrow()
                    .store().stat(6000).exists()).isFalse();
        }
        CopysetInfo unknown = new CopysetInfo(c.logicalPoolId(), 9999, c.chunkServers(), c.addresses(),
                c.dataAddresses(), CHUNK);
        try (ChunkClient impatient = new ChunkClient(1 << 20, Duration.ofSeconds(2))) {
            impatient.authorize(cluster.clusterDataToken());
            assertCode(() -> impatient.read(unknown, 1, 0, 4096).join(), ErrorCode.UNAVAILABLE);
        }
    }

    /**
     * A write the leader appended but never committed (its followers were down) is truncated after a leader change:
     * it must never reach a chunk file, not even on the old leader, so the page keeps the value written after it.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1)
    void aTruncatedUncommittedWriteNeverOverwritesCommittedData() throws Exception {
        awaitCopysets(Duration.ofSeconds(60));
        CopysetInfo c = copysets.get(0);
        long chunkId = 777;
        client.write(c, 0, 0, chunkId, 0, page('A')).join();
        ChunkNode leader = cluster.chunkServers().stream().filter(n -> n.bootstrap().copysets().status().stream()
                .anyMatch(s -> s.copysetId() == c.copysetId() && s.leader())).findFirst().orElseThrow();
        List<ChunkNode> followers = cluster.chunkServers().stream().filter(n -> n != leader).toList();
        followers.forEach(cluster::stop);

        // The old leader appends B to its log; without a majority it can never commit it.
        ChunkClient doomed = new ChunkClient(1 << 20);
        doomed.authorize(cluster.clusterDataToken());
        CompletableFuture<Void> uncommitted = doomed.write(c, 0, 0, chunkId, 0, page('B'));
        CopysetStateMachine oldLeader = leader.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId())
                .orElseThrow();
        long appliedBefore = oldLeader.getLastAppliedTermIndex().getIndex();
        Thread.sleep(1500);
        assertThat(uncommitted).as("a write without a majority is not acknowledged").isNotDone();
        assertThat(oldLeader.getLastAppliedTermIndex().getIndex()).isEqualTo(appliedBefore);
        assertThat(bytes(oldLeader.store().read(chunkId, 0, 4096))[0]).as("page on the old leader").isEqualTo((byte) 'A');
        // Its lease ran out with no majority behind it: it must not answer reads any more (the others could have
        // elected a leader and committed newer writes meanwhile).
        try (ChunkClient reader = new ChunkClient(1 << 20, Duration.ofSeconds(3))) {
            reader.authorize(cluster.clusterDataToken());
            assertCode(() -> reader.read(c, chunkId, 0, 4096).join(), ErrorCode.UNAVAILABLE);
        }
        cluster.stop(leader);
        doomed.close(); // so no retry of B reaches the next leader

        // The two others elect a leader without B; C is committed after A in its place.
        followers.forEach(cluster::restart);
        client.write(c, 0, 0, chunkId, 0, page('C')).get(60, java.util.concurrent.TimeUnit.SECONDS);
        cluster.restart(leader); // rejoins as a follower: B is truncated from its log
        awaitCopysets(Duration.ofSeconds(60));
        assertThat(bytes(client.read(c, chunkId, 0, 4096).join())[0]).isEqualTo((byte) 'C');
        assertReplicasIdentical();
        CopysetStateMachine rejoined = leader.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId())
                .orElseThrow();
        assertThat(bytes(rejoined.store().read(chunkId, 0, 4096))[0]).as("page on the old leader after it rejoined")
                .isEqualTo((byte) 'C');
    }

    private static ByteBuffer page(char fill) {
        byte[] b = new byte[4096];
        java.util.Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void theMdsShowsChunkServersOnlineOrOfflineFromHeartbeats() throws Exception {
        AdminHttp http = new AdminHttp(cluster.url());
        awaitStates(http, List.of("ONLINE", "ONLINE", "ONLINE"));
        ChunkNode last = cluster.chunkServers().get(2);
        cluster.stop(last);
        awaitStates(http, List.of("ONLINE", "ONLINE", "OFFLINE"));
        cluster.restart(last);
        awaitStates(http, List.of("ONLINE", "ONLINE", "ONLINE"));
        awaitCopysets(Duration.ofSeconds(60));
    }

    private static void awaitStates(AdminHttp http, List<String> states) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = new ArrayList<>();
            for (tools.jackson.databind.JsonNode cs : http.get("/api/v1/chunkservers").body()) {
                seen.add(cs.get("state").asString());
            }
            if (seen.equals(states)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("chunk server states " + seen + ", expected " + states);
    }

    private static void assertCode(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOf(CompletionException.class)
                .satisfies(t -> assertThat(((CamberException) t.getCause()).code()).isEqualTo(code));
    }

    private static void awaitApplied(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica did not apply in time");
            }
            Thread.onSpinWait();
        }
    }

    /** Compares every chunk file of every copyset across the three replicas, byte for byte. */
    static void assertReplicasIdentical() throws Exception {
        for (CopysetInfo c : copysets) {
            List<CopysetStateMachine> replicas = cluster.chunkServers().stream()
                    .map(n -> n.bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId()).orElseThrow())
                    .toList();
            long applied = replicas.stream().mapToLong(r -> r.getLastAppliedTermIndex().getIndex()).max().orElse(0);
            awaitApplied(() -> replicas.stream().allMatch(r -> r.getLastAppliedTermIndex().getIndex() >= applied));
            List<java.nio.file.Path> files = replicas.get(0).store().files();
            for (CopysetStateMachine r : replicas) {
                assertThat(r.store().files().stream().map(p -> p.getFileName().toString()).sorted().toList())
                        .isEqualTo(files.stream().map(p -> p.getFileName().toString()).sorted().toList());
            }
            for (java.nio.file.Path f : files) {
                long chunkId = Long.parseLong(f.getFileName().toString());
                byte[] first = bytes(replicas.get(0).store().read(chunkId, 0, (int) CHUNK));
                for (CopysetStateMachine r : replicas.subList(1, replicas.size())) {
                    assertThat(bytes(r.store().read(chunkId, 0, (int) CHUNK))).isEqualTo(first);
                }
            }
        }
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
