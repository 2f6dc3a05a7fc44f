package io.camber.mds.topology;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerInfo;
import io.camber.common.api.ChunkServerState;
import io.camber.mds.MdsProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Liveness of chunk servers from their heartbeats. Soft state, kept in memory by every MDS replica
 * (chunk servers heartbeat each one), never replicated: after a restart an MDS knows again within
 * one heartbeat interval.
 */
@Component
public class HeartbeatTracker {
    private final Map<Long, Seen> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long unstableAfterMillis;
    private final long offlineAfterMillis;
    private final long startMillis;

    /** The last heartbeat of a chunk server and when it came. */
    public record Seen(long atMillis, ChunkServerHeartbeat heartbeat) {
    }

    public HeartbeatTracker(Clock clock, MdsProperties props, MeterRegistry registry) {
        this.clock = clock;
        this.unstableAfterMillis = props.chunkserverUnstableAfter().toMillis();
        this.offlineAfterMillis = props.chunkserverOfflineAfter().toMillis();
        this.startMillis = clock.millis();
        for (ChunkServerState state : ChunkServerState.values()) {
            Gauge.builder("camber.mds.chunkservers.state", this, t -> t.count(state)).tag("state", state.name())
                    .description("chunk servers by liveness (heartbeats seen by this MDS)").register(registry);
        }
    }

    public void record(ChunkServerHeartbeat heartbeat) {
        seen.put(heartbeat.chunkServerId(), new Seen(clock.millis(), heartbeat));
    }

    /** The copyset replicas a chunk server reported hosting last, or null if this MDS did not hear from it. */
    private Integer hosted(long chunkServerId) {
        Seen s = seen.get(chunkServerId);
        return s == null || s.heartbeat().copysets() == null ? null : s.heartbeat().copysets().size();
    }

    /** Drops what this MDS heard from a chunk server that was removed. */
    public void forget(long chunkServerId) {
        seen.remove(chunkServerId);
    }

    /** The latest heartbeat of every chunk server heard from. */
    public Map<Long, ChunkServerHeartbeat> latest() {
        Map<Long, ChunkServerHeartbeat> out = new java.util.HashMap<>();
        seen.forEach((id, s) -> out.put(id, s.heartbeat()));
        return out;
    }

    /** ONLINE while heartbeats arrive, UNSTABLE after a short silence, OFFLINE after a long one. */
    public ChunkServerState stateOf(long chunkServerId) {
        Seen s = seen.get(chunkServerId);
        if (s == null) {
            return ChunkServerState.REGISTERED;
        }
        long silence = clock.millis() - s.atMillis();
        return silence >= offlineAfterMillis ? ChunkServerState.OFFLINE
                : silence >= unstableAfterMillis ? ChunkServerState.UNSTABLE : ChunkServerState.ONLINE;
    }

    /**
     * How long this MDS has not heard from a chunk server: since its last heartbeat, or since this MDS started if it
     * never heard from it (a chunk server that died before an MDS restart is silent from then on, not unknown).
     */
    public long silenceMillis(long chunkServerId) {
        Seen s = seen.get(chunkServerId);
        return clock.millis() - (s == null ? startMillis : s.atMillis());
    }

    /** The chunk servers with their state as heartbeats show it. */
    public List<ChunkServerInfo> overlay(List<ChunkServerInfo> chunkServers) {
        return chunkServers.stream().map(c -> new ChunkServerInfo(c.id(), c.physicalPool(), c.zone(), c.server(),
                c.host(), c.port(), c.dataPort(), c.diskPath(), c.capacityBytes(),
                c.state() == ChunkServerState.RETIRED ? ChunkServerState.RETIRED : stateOf(c.id()), c.copysets(),
                c.draining(), hosted(c.id())))
                .toList();
    }

    private long count(ChunkServerState state) {
        return seen.keySet().stream().filter(id -> stateOf(id) == state).count();
    }
}
