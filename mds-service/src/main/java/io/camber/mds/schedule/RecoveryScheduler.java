package io.camber.mds.schedule;

import io.camber.common.api.ChunkServerState;
import io.camber.common.api.CopysetInfo;
import io.camber.mds.MdsProperties;
import io.camber.mds.raft.MdsCommand.ReplaceCopysetMember;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.topology.HeartbeatTracker;
import io.camber.mds.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * On the MDS leader only, periodically rebuilds the replicas of lost chunk servers elsewhere: it replaces the lost
 * member in the copyset's members ({@link RecoveryPlanner} decides), the new member's chunk server creates the
 * group from its next heartbeat answer, and the copyset's leader changes the Raft configuration to match, which
 * catches the new replica up (from the log or a snapshot) before it counts.
 */
@Component
public class RecoveryScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryScheduler.class);
    private final Disposable ticker;
    private final Counter started;
    /** A gap between rounds this much longer than three intervals means the MDS process was not running. */
    private static final long STALL_NANOS = java.time.Duration.ofSeconds(2).toNanos();
    private volatile long lastTickNanos = System.nanoTime();

    public RecoveryScheduler(MdsReplication mds, HeartbeatTracker heartbeats, MdsProperties props,
                             MeterRegistry registry) {
        MdsProperties.Recovery recovery = props.recovery();
        this.started = Counter.builder("camber.mds.recovery.started")
                .description("copyset replicas the recover scheduler moved off a lost chunk server").register(registry);
        this.ticker = !recovery.enabled() ? null : Flux.interval(recovery.interval())
                .onBackpressureDrop()
                .concatMap(t -> tick(mds, heartbeats, recovery), 1)
                .subscribe();
    }

    private Mono<Integer> tick(MdsReplication mds, HeartbeatTracker heartbeats, MdsProperties.Recovery recovery) {
        long now = System.nanoTime();
        long gap = now - lastTickNanos;
        lastTickNanos = now;
        if (!mds.node().isLeader()) {
            return Mono.empty();
        }
        if (gap > 3 * recovery.interval().toNanos() + STALL_NANOS) {
            // This process itself stood still (a long GC pause, a starved VM): every chunk server then looks silent
            // for that long. Judge again once heartbeats had a round to arrive.
            LOG.warn("event=recovery-round-skipped reason=\"the MDS itself paused\" gap_ms={}", gap / 1_000_000);
            return Mono.empty();
        }
        Topology t = mds.stateMachine().topology();
        long after = recovery.after().toMillis();
        List<ReplaceCopysetMember> changes = RecoveryPlanner.plan(t,
                id -> t.chunkServer(id).map(Topology.ChunkServer::retired).orElse(true)
                        || heartbeats.silenceMillis(id) >= after,
                id -> heartbeats.stateOf(id) == ChunkServerState.ONLINE,
                heartbeats.latest(), recovery.perChunkServer());
        return Flux.fromIterable(changes)
                .concatMap(c -> mds.submit(c, CopysetInfo.class)
                        .doOnNext(info -> {
                            started.increment();
                            LOG.info("event=copyset-recovery-started pool={} copyset={} from={} to={} members={}",
                                    c.logicalPoolId(), c.copysetId(), c.from(), c.to(), info.chunkServers());
                        })
                        .onErrorResume(e -> {
                            LOG.warn("event=copyset-recovery-refused pool={} copyset={} error={}", c.logicalPoolId(),
                                    c.copysetId(), e.toString());
                            return Mono.empty();
                        }))
                .count().map(Long::intValue)
                .onErrorResume(e -> {
                    LOG.warn("event=recovery-round-failed error={}", e.toString());
                    return Mono.empty();
                });
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.dispose();
        }
    }
}
