package io.camber.mds.schedule;

import io.camber.common.api.ChunkServerState;
import io.camber.common.api.CopysetInfo;
import io.camber.mds.MdsProperties;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsCommand.PreferCopysetLeader;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.camber.common.api.ChunkServerHeartbeat;

/**
 * On the MDS leader only, periodically changes copysets' members: first it rebuilds the replicas of lost chunk
 * servers elsewhere and moves those of draining ones ({@link RecoveryPlanner} decides), and when there is none to
 * move it balances replicas and leaders ({@link BalancePlanner}). A change replaces a member in the copyset's
 * members; the new member's chunk server creates the group from its next heartbeat answer, and the copyset's
 * leader changes the Raft configuration to match, which catches the new replica up (from the log or a snapshot)
 * before it counts.
 */
@Component
public class CopysetScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CopysetScheduler.class);
    private final Disposable ticker;
    private final Counter started;
    private final Counter replicasBalanced;
    private final Counter leadersBalanced;
    private final boolean balance;
    /** A gap between rounds this much longer than three intervals means the MDS process was not running. */
    private static final long STALL_NANOS = java.time.Duration.ofSeconds(2).toNanos();
    private volatile long lastTickNanos = System.nanoTime();
    /** Until when (nanoTime) rounds are skipped after the MDS itself paused: heartbeats need a round to arrive. */
    private volatile long holdUntilNanos = System.nanoTime();
    /** When this leader first saw each joining member (copyset, epoch, member) not yet in the group. */
    private final Map<String, Long> joiningSince = new ConcurrentHashMap<>();
    private final long unstableAfterNanos;

    public CopysetScheduler(MdsReplication mds, HeartbeatTracker heartbeats, MdsProperties props,
                            MeterRegistry registry) {
        MdsProperties.Recovery recovery = props.recovery();
        this.balance = props.balance().enabled();
        this.unstableAfterNanos = props.chunkserverUnstableAfter().toNanos();
        this.started = Counter.builder("camber.mds.recovery.started")
                .description("copyset replicas the recover scheduler moved off a lost or draining chunk server")
                .register(registry);
        this.replicasBalanced = Counter.builder("camber.mds.balance.replica.moves")
                .description("copyset replicas moved to even out copysets per chunk server").register(registry);
        this.leadersBalanced = Counter.builder("camber.mds.balance.leader.moves")
                .description("copysets whose preferred leader moved to even out leaders per chunk server")
                .register(registry);
        // Always ticking: with recovery and balance both off, an operator's drain still moves replicas.
        this.ticker = Flux.interval(recovery.interval())
                .onBackpressureDrop()
                .concatMap(t -> tick(mds, heartbeats, recovery), 1)
                .subscribe();
    }

    private Mono<Integer> tick(MdsReplication mds, HeartbeatTracker heartbeats, MdsProperties.Recovery recovery) {
        long now = System.nanoTime();
        long gap = now - lastTickNanos;
        lastTickNanos = now;
        if (!mds.node().isLeader()) {
            joiningSince.clear();
            return Mono.empty();
        }
        if (gap > 3 * recovery.interval().toNanos() + STALL_NANOS) {
            // This process itself stood still (a long GC pause, a starved VM): every chunk server then looks silent
            // for that long, and the ticks missed meanwhile now fire back to back. Judge again once heartbeats had
            // time to arrive.
            holdUntilNanos = now + unstableAfterNanos;
            LOG.warn("event=recovery-round-skipped reason=\"the MDS itself paused\" gap_ms={}", gap / 1_000_000);
        }
        if (now - holdUntilNanos < 0) {
            return Mono.empty();
        }
        List<MdsCommand> changes;
        boolean balancing = false;
        try {
            Topology t = mds.stateMachine().topology();
            changes = List.copyOf(plan(t, heartbeats, recovery, now));
            if (changes.isEmpty() && balance) {
                balancing = true;
                changes = BalancePlanner.plan(t, live(heartbeats), heartbeats.latest(), recovery.perChunkServer());
            }
        } catch (RuntimeException e) {
            LOG.warn("event=recovery-round-failed error={}", e.toString(), e);
            return Mono.empty();
        }
        Counter moved = balancing ? replicasBalanced : started;
        return Flux.fromIterable(changes)
                .concatMap(c -> mds.submit(c, CopysetInfo.class)
                        .doOnNext(info -> {
                            if (c instanceof ReplaceCopysetMember r) {
                                moved.increment();
                                LOG.info("event=copyset-member-change-started pool={} copyset={} from={} to={}"
                                        + " members={} why=\"{}\"", r.logicalPoolId(), r.copysetId(), r.from(),
                                        r.to(), info.chunkServers(), r.why());
                            } else if (c instanceof PreferCopysetLeader p) {
                                leadersBalanced.increment();
                                LOG.info("event=copyset-leader-change-started pool={} copyset={} leader={}"
                                        + " members={}", p.logicalPoolId(), p.copysetId(), p.member(),
                                        info.chunkServers());
                            }
                        })
                        .onErrorResume(e -> {
                            LOG.warn("event=copyset-change-refused change={} error={}", c, e.toString());
                            return Mono.empty();
                        }))
                .count().map(Long::intValue)
                .onErrorResume(e -> {
                    LOG.warn("event=recovery-round-failed error={}", e.toString());
                    return Mono.empty();
                });
    }

    private List<ReplaceCopysetMember> plan(Topology t, HeartbeatTracker heartbeats, MdsProperties.Recovery recovery,
                                            long now) {
        long after = recovery.after().toMillis();
        Map<Long, ChunkServerHeartbeat> latest = heartbeats.latest();
        java.util.function.LongPredicate live = live(heartbeats);
        Map<String, Long> seen = new HashMap<>();
        for (List<Topology.Copyset> pool : t.copysets().values()) {
            for (Topology.Copyset c : pool) {
                RecoveryPlanner.leaderReport(c, live, latest).filter(r -> r.peers() != null).ifPresent(r -> {
                    for (long m : c.members()) {
                        if (!r.peers().contains(m)) {
                            String key = joinKey(c, m);
                            seen.put(key, joiningSince.getOrDefault(key, now));
                        }
                    }
                });
            }
        }
        joiningSince.keySet().retainAll(seen.keySet());
        joiningSince.putAll(seen);
        long joinTimeout = recovery.joinTimeout().toNanos();
        boolean recover = recovery.enabled(); // off: only draining chunk servers' replicas move
        return RecoveryPlanner.plan(t,
                id -> t.chunkServer(id).map(cs -> cs.draining() || (recover && cs.retired())).orElse(recover)
                        || (recover && heartbeats.silenceMillis(id) >= after),
                live, latest, recovery.perChunkServer(),
                (c, m) -> now - joiningSince.getOrDefault(joinKey(c, m), now) >= joinTimeout);
    }

    private static java.util.function.LongPredicate live(HeartbeatTracker heartbeats) {
        return id -> heartbeats.stateOf(id) == ChunkServerState.ONLINE;
    }

    private static String joinKey(Topology.Copyset c, long member) {
        return c.logicalPoolId() + "/" + c.id() + "@" + c.epoch() + ":" + member;
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.dispose();
        }
    }
}
