package io.camber.mds.fs;

import io.camber.common.api.ChunkServerState;
import io.camber.common.api.FsInfo;
import io.camber.common.api.MetaServerHeartbeat;
import io.camber.common.api.MetaServerHeartbeat.PartitionReport;
import io.camber.common.api.MetaServerInfo;
import io.camber.common.api.PartitionInfo;
import io.camber.mds.MdsProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What meta-services last reported: their liveness, which replica leads each partition and how full each is. Soft
 * state, like chunk-server heartbeats: kept in memory by every MDS replica (meta-services heartbeat each one), never
 * replicated, known again within one heartbeat interval after a restart. Liveness uses the chunk servers' timings.
 */
@Component
public class MetaHeartbeats {
    private final Map<Long, Seen> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long unstableAfterMillis;
    private final long offlineAfterMillis;

    private record Seen(long atMillis, MetaServerHeartbeat heartbeat) {
    }

    @org.springframework.beans.factory.annotation.Autowired
    public MetaHeartbeats(Clock clock, MdsProperties props, MeterRegistry registry) {
        this(clock, props.chunkserverUnstableAfter(), props.chunkserverOfflineAfter(), registry);
    }

    MetaHeartbeats(Clock clock, java.time.Duration unstableAfter, java.time.Duration offlineAfter,
                   MeterRegistry registry) {
        this.clock = clock;
        this.unstableAfterMillis = unstableAfter.toMillis();
        this.offlineAfterMillis = offlineAfter.toMillis();
        for (ChunkServerState state : ChunkServerState.values()) {
            Gauge.builder("camber.mds.metaservers.state", this, t -> t.count(state)).tag("state", state.name())
                    .description("meta servers by liveness (heartbeats seen by this MDS)").register(registry);
        }
    }

    public void record(MetaServerHeartbeat heartbeat) {
        seen.put(heartbeat.metaServerId(), new Seen(clock.millis(), heartbeat));
    }

    /** ONLINE while heartbeats arrive, UNSTABLE after a short silence, OFFLINE after a long one. */
    public ChunkServerState stateOf(long metaServerId) {
        Seen s = seen.get(metaServerId);
        if (s == null) {
            return ChunkServerState.REGISTERED;
        }
        long silence = clock.millis() - s.atMillis();
        return silence >= offlineAfterMillis ? ChunkServerState.OFFLINE
                : silence >= unstableAfterMillis ? ChunkServerState.UNSTABLE : ChunkServerState.ONLINE;
    }

    /** Meta servers silent past the offline timeout, which placement skips. */
    public List<Long> offline() {
        return seen.keySet().stream().filter(id -> stateOf(id) == ChunkServerState.OFFLINE).sorted().toList();
    }

    public List<MetaServerInfo> overlay(List<MetaServerInfo> servers) {
        return servers.stream().map(m -> new MetaServerInfo(m.id(), m.physicalPool(), m.zone(), m.server(), m.host(),
                m.raftPort(), m.httpPort(), m.peerId(), stateOf(m.id()), m.partitions())).toList();
    }

    /** The file system with each partition's leader and usage as reported, and its total inodes when all reported. */
    public FsInfo overlay(FsInfo fs) {
        List<PartitionInfo> partitions = fs.partitions().stream().map(this::overlay).toList();
        return fs.withUsage(inodesUsed(partitions), partitions, fs.capacityBytes(), fs.usedBytes());
    }

    /** Total inodes over the partitions, or -1 when one of them has not reported. */
    public static long inodesUsed(List<PartitionInfo> partitions) {
        long total = 0;
        for (PartitionInfo p : partitions) {
            if (p.inodesUsed() < 0) {
                return -1;
            }
            total += p.inodesUsed();
        }
        return total;
    }

    public PartitionInfo overlay(PartitionInfo p) {
        String leader = null;
        long leaderTerm = -1;
        PartitionReport usage = null;
        for (int i = 0; i < p.metaServers().size(); i++) {
            Optional<PartitionReport> r = report(p.metaServers().get(i), p.fsId(), p.partitionId());
            if (r.isEmpty()) {
                continue;
            }
            // The newest term wins: a deposed leader may report before it learns of the election.
            if (r.get().leader() && r.get().term() > leaderTerm) {
                leader = p.peerIds().get(i);
                leaderTerm = r.get().term();
            }
            if (r.get().initialized() && (usage == null || r.get().appliedIndex() > usage.appliedIndex())) {
                usage = r.get();
            }
        }
        return new PartitionInfo(p.fsId(), p.partitionId(), p.start(), p.end(), p.metaServers(), p.peerIds(),
                p.addresses(), leader, usage == null ? -1 : usage.inodesUsed(), usage == null ? -1 : usage.nextIno());
    }

    /** A live meta server's last report of one partition. */
    private Optional<PartitionReport> report(long metaServerId, long fsId, int partitionId) {
        Seen s = seen.get(metaServerId);
        if (s == null || clock.millis() - s.atMillis() >= unstableAfterMillis || s.heartbeat().partitions() == null) {
            return Optional.empty();
        }
        return s.heartbeat().partitions().stream()
                .filter(r -> r.fsId() == fsId && r.partitionId() == partitionId).findFirst();
    }

    private long count(ChunkServerState state) {
        return seen.keySet().stream().filter(id -> stateOf(id) == state).count();
    }
}
