package io.camber.meta.server;

import io.camber.meta.LoopbackPorts;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.partition.PartitionStateMachine;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaReply;
import io.camber.server.raft.RaftSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Meta-service partition servers in one JVM on loopback, each hosting a replica of every given partition: what
 * a test needs to stop, restart and compare replicas. One per test class.
 */
final class PartitionCluster implements AutoCloseable {
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Path baseDir;
    private final RaftSettings raft;
    private final List<RaftPeer> peers = new ArrayList<>();
    private final PartitionServer[] servers;
    private final Map<PartitionId, PartitionClient> clients = new HashMap<>();

    PartitionCluster(Path baseDir, int size, RaftSettings raft, List<PartitionId> partitions) throws IOException {
        this.baseDir = baseDir;
        this.raft = raft;
        this.servers = new PartitionServer[size];
        for (int i = 0; i < size; i++) {
            peers.add(RaftPeer.newBuilder().setId("m" + i).setAddress("127.0.0.1:" + LoopbackPorts.free()).build());
        }
        for (int i = 0; i < size; i++) {
            start(i);
            for (PartitionId p : partitions) {
                servers[i].ensure(p, peers);
            }
        }
    }

    /** Settings that make a stopped replica catch up by snapshot: small segments, log purged at each snapshot. */
    static RaftSettings snapshotHappy(int snapshotThreshold) {
        RaftSettings d = RaftSettings.defaults();
        return new RaftSettings(Duration.ofMillis(500), snapshotThreshold, org.springframework.util.unit.DataSize
                .ofKilobytes(16), d.segmentCacheSegments(), d.writeBufferSize(), d.appenderBatch(),
                d.outstandingAppends(), d.appenderWait(), d.snapshotPiece(), d.snapshotPiecesInFlight(), false, 1,
                d.logMetadata(), d.asyncFlush(), d.messageSizeMax(), Map.of());
    }

    void start(int i) throws IOException {
        servers[i] = new PartitionServer("m" + i, "127.0.0.1", port(i), baseDir.resolve("m" + i), raft, 4 << 20, metrics);
    }

    void stop(int i) throws IOException {
        servers[i].close();
        servers[i] = null;
    }

    private int port(int i) {
        String address = peers.get(i).getAddress();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The partitions server i hosts (it resumes those on its disk when restarted). */
    List<PartitionId> hosted(int i) {
        return servers[i].partitions();
    }

    int size() {
        return servers.length;
    }

    PartitionClient client(PartitionId p) {
        return clients.computeIfAbsent(p, id -> new PartitionClient(id, peers, raft));
    }

    /** A fresh client, as a restarted process would have; the caller closes it. */
    PartitionClient newClient(PartitionId p) {
        return new PartitionClient(p, peers, raft);
    }

    PartitionStateMachine replica(int i, PartitionId p) {
        return servers[i].stateMachine(p).orElseThrow();
    }

    private Optional<RaftServer.Division> division(int i, PartitionId p) {
        return servers[i] == null ? Optional.empty() : servers[i].division(p);
    }

    /** The member leading the partition, waiting for an election if needed. */
    int awaitLeader(PartitionId p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < servers.length; i++) {
                if (division(i, p).map(d -> d.getInfo().isLeaderReady()).orElse(false)) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("partition " + p + " elected no leader in " + timeout);
    }

    /**
     * Waits until every running replica has applied a barrier committed now: then each holds everything committed
     * before it, and the last command written to each RocksDB is the same one.
     */
    void awaitCaughtUp(PartitionId p, Duration timeout) throws InterruptedException {
        MetaReply barrier = client(p).submitAndWait(new MetaCommand.Fsync(1));
        long target = -1;
        for (int i = 0; i < servers.length; i++) {
            target = Math.max(target, division(i, p).map(d -> d.getInfo().getLastAppliedIndex()).orElse(-1L));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long want = target;
            boolean all = true;
            for (int i = 0; i < servers.length; i++) {
                if (servers[i] != null && division(i, p).map(d -> d.getInfo().getLastAppliedIndex() < want)
                        .orElse(true)) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("replicas of " + p + " did not reach index " + target + " (barrier " + barrier
                + ") in " + timeout);
    }

    /** The state digest of each running replica, by member. */
    Map<String, String> digests(PartitionId p) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null) {
                out.put("m" + i, replica(i, p).digest());
            }
        }
        return out;
    }

    static long distinct(Map<String, String> digests) {
        return digests.values().stream().collect(Collectors.toSet()).size();
    }

    @Override
    public void close() {
        for (PartitionClient c : clients.values()) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null) {
                try {
                    stop(i);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
