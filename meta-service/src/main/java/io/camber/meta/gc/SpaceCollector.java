package io.camber.meta.gc;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.PartitionInfo;
import io.camber.meta.MetaServiceProperties;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.server.PartitionServer;
import io.camber.meta.server.PartitionServerLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The space GC of this process: on its own thread, every {@code camber.meta.gc.interval}, a pass over each
 * partition this replica leads ({@link PartitionSpaceGc}), a bounded number of records each. Which partitions exist
 * and who their peers are comes from the MDS's heartbeat answers ({@link #placed}). Only the leader collects, so
 * the replicas of a partition never trim the same space at once; a new leader simply picks up the records left.
 */
@Component
@ConditionalOnProperty(name = "camber.meta.enabled", havingValue = "true", matchIfMissing = true)
public class SpaceCollector implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceCollector.class);
    private static final long IN_FLIGHT_BYTES = 16L << 20;

    private final MetaServiceProperties props;
    private final PartitionServerLifecycle partitions;
    private final MeterRegistry registry;
    private final Counter releasedBytes;
    private final Map<PartitionId, PartitionClient> clients = new ConcurrentHashMap<>();
    private volatile List<PartitionInfo> placed = List.of();
    private volatile ScheduledExecutorService timer;
    private volatile DataVolumeTrimmer trimmer;

    public SpaceCollector(MetaServiceProperties props, PartitionServerLifecycle partitions, MeterRegistry registry) {
        this.props = props;
        this.partitions = partitions;
        this.registry = registry;
        this.releasedBytes = Counter.builder("camber.meta.gc.released").baseUnit("bytes")
                .description("data-volume space trimmed and returned to partitions' free space").register(registry);
    }

    /** The partitions the MDS placed on this process, as its latest heartbeat answer lists them. */
    public void placed(List<PartitionInfo> wanted) {
        placed = List.copyOf(wanted);
    }

    @Override
    public void start() {
        List<String> mds = props.mds().stream().filter(u -> !u.isBlank()).toList();
        if (!props.gc().enabled() || mds.isEmpty()) {
            LOG.warn("event=space_gc_off enabled={} mds={} hint=freed file space is not reused", props.gc().enabled(),
                    mds.size());
            return;
        }
        trimmer = new DataVolumeTrimmer(new MdsAdminClient(String.join(",", mds), props.apiKey()),
                new ChunkClient(IN_FLIGHT_BYTES), registry, "meta-gc-" + props.nodeId(), props.gc().trimTimeout());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meta-space-gc");
            t.setDaemon(true);
            return t;
        });
        long every = props.gc().interval().toMillis();
        timer.scheduleWithFixedDelay(this::pass, every, every, TimeUnit.MILLISECONDS);
    }

    private void pass() {
        PartitionServer server = partitions.server();
        if (server == null) {
            return;
        }
        Set<Long> fsServed = new HashSet<>();
        Set<PartitionId> listed = new HashSet<>();
        for (PartitionInfo p : placed) {
            PartitionId id = new PartitionId(p.fsId(), p.partitionId());
            listed.add(id);
            if (!leads(server, id)) {
                continue;
            }
            fsServed.add(p.fsId());
            try {
                PartitionClient client = clients.computeIfAbsent(id, clientFor(p, server));
                long released = new PartitionSpaceGc(client, trimmer, props.gc().recordsPerPass(),
                        props.gc().orphanGrace().toNanos()).runOnce(System.currentTimeMillis() * 1_000_000L);
                releasedBytes.increment(released);
            } catch (Exception e) {
                // The data volume or the partition is unreachable for now: the records stay, the next pass retries.
                LOG.warn("event=space_gc_failed partition={} error={}", id, e.toString());
            }
        }
        clients.keySet().removeIf(id -> {
            if (listed.contains(id)) {
                return false;
            }
            close(clients.get(id));
            return true;
        });
        trimmer.retain(fsServed);
    }

    private static boolean leads(PartitionServer server, PartitionId id) {
        return server.division(id).map(d -> d.getInfo().isLeader()).orElse(false)
                && server.stateMachine(id).map(sm -> {
                    try {
                        return sm.stats() != null;
                    } catch (RuntimeException e) {
                        return false; // not open yet (starting, installing a snapshot)
                    }
                }).orElse(false);
    }

    private Function<PartitionId, PartitionClient> clientFor(PartitionInfo p, PartitionServer server) {
        return id -> {
            // This replica first: it leads, and a Ratis client starts with the first peer as its leader guess.
            List<RaftPeer> peers = new java.util.ArrayList<>();
            for (int i = 0; i < p.peerIds().size(); i++) {
                RaftPeer peer = RaftPeer.newBuilder().setId(p.peerIds().get(i)).setAddress(p.addresses().get(i))
                        .build();
                peers.add(peer.getId().toString().equals(server.peerId()) ? 0 : peers.size(), peer);
            }
            return new PartitionClient(id, peers, props.raft());
        };
    }

    private static void close(PartitionClient client) {
        try {
            if (client != null) {
                client.close();
            }
        } catch (IOException e) {
            LOG.debug("event=partition_client_close_failed error={}", e.toString());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clients.values().forEach(SpaceCollector::close);
        clients.clear();
        if (trimmer != null) {
            trimmer.close();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    /** Stops before the partition server closes (higher phases stop first). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
