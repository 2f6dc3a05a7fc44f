package io.camber.testkit;

import io.camber.chunk.copyset.CopysetStateMachine;
import io.camber.client.chunk.ChunkClient;
import io.camber.common.api.CopysetInfo;
import io.camber.testkit.MiniCluster.ChunkNode;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes that remember what was acknowledged, and checks on the replicas of copysets, for the ITs that change
 * copysets' members under load (recovery, balance, drain).
 */
final class CopysetWrites {
    static final long CHUNK = 1 << 20;
    static final int SLOT = 64 << 10;
    static final int CHUNKS = 80;
    /** Writes at most: one per 64 KiB slot of every chunk. */
    static final int SLOTS = CHUNKS * (int) (CHUNK / SLOT);

    private CopysetWrites() {
    }

    record Written(CopysetInfo copyset, long chunkId, long offset, byte[] data) {
    }

    /**
     * Write n: 1-16 random pages into a 64 KiB slot (chunk n % CHUNKS, slot n / CHUNKS % slots per chunk), which then
     * holds it once acknowledged. Slots, not a chunk per write: every chunk is an open file on each replica. Past
     * SLOTS writes the slots are written again; the newest acknowledged write of each slot is what must read back
     * (so writes to one slot must not overlap in time).
     */
    static CompletableFuture<Void> write(ChunkClient client, List<CopysetInfo> copysets, Random random, int n,
                                         Map<String, Written> acknowledged) {
        CopysetInfo c = copysets.get(n % CHUNKS % copysets.size());
        long chunkId = 1000 + n % CHUNKS;
        byte[] data = new byte[4096 * (1 + random.nextInt(16))];
        random.nextBytes(data);
        long offset = (long) (n % SLOTS / CHUNKS) * SLOT;
        return client.write(c, 7, 1, chunkId, offset, ByteBuffer.wrap(data))
                .thenRun(() -> acknowledged.put(chunkId + "@" + offset, new Written(c, chunkId, offset, data)));
    }

    /** Every acknowledged write reads back (through whatever members the client finds now). */
    static void assertReadBack(ChunkClient client, Map<String, Written> acknowledged) {
        for (Written w : acknowledged.values()) {
            ByteBuffer read = client.read(w.copyset(), w.chunkId(), w.offset(), w.data().length).join();
            assertThat(ChunkReplicationIT.bytes(read)).as("chunk " + w.chunkId()).isEqualTo(w.data());
        }
    }

    /** The copyset folders a chunk service still holds on its disk. */
    static List<Path> copysetFolders(ChunkNode node) throws java.io.IOException {
        try (Stream<Path> left = Files.list(node.dataDir.resolve("copysets"))) {
            return left.toList();
        }
    }

    /** Every chunk file of every copyset is the same on its three current members, once they applied as much. */
    static void assertReplicasIdentical(MiniCluster cluster, List<CopysetInfo> copysets) throws Exception {
        Map<Long, ChunkNode> nodes = new HashMap<>();
        cluster.chunkServers().stream().filter(ChunkNode::running)
                .forEach(n -> nodes.put(n.bootstrap().chunkServerId(), n));
        for (CopysetInfo c : copysets) {
            List<CopysetStateMachine> replicas = c.chunkServers().stream()
                    .map(id -> nodes.get(id).bootstrap().copysets().stateMachine(c.logicalPoolId(), c.copysetId())
                            .orElseThrow()).toList();
            long applied = replicas.stream().mapToLong(r -> r.getLastAppliedTermIndex().getIndex()).max().orElse(0);
            await(Duration.ofSeconds(30), "copyset " + c.copysetId() + " applied everywhere",
                    () -> replicas.stream().allMatch(r -> r.getLastAppliedTermIndex().getIndex() >= applied),
                    () -> "");
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

    /** Polls condition until it holds; on timeout fails with the last error and what diagnostics says. */
    static void await(Duration timeout, String what, Callable<Boolean> condition, Supplier<String> diagnostics)
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
                .orElse("") + "; " + diagnostics.get(), last.orElse(null));
    }
}
