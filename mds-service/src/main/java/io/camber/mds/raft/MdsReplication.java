package io.camber.mds.raft;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.mds.MdsProperties;
import io.camber.server.codec.Json;
import io.camber.server.raft.RaftNodeConfig;
import io.camber.server.raft.ReplicatedNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Where MDS requests are replicated: each command goes through this replica's Ratis client to the
 * leader, is committed by a majority and applied on every replica; reads are linearizable on the leader.
 */
@Component
public class MdsReplication implements AutoCloseable {
    /** Longest a request waits for the group before it is answered NO_LEADER. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Where requests are handed to the Ratis client: its async send may wait for a permit when many requests are
     * outstanding (an election under load), which must never stall a WebFlux event loop and every connection on it.
     */
    private static final reactor.core.scheduler.Scheduler RATIS_CALLS = reactor.core.scheduler.Schedulers.boundedElastic();

    /** How long a replica on an empty data directory waits for its peers to say whether they knew its disk. */
    private static final Duration PEERS_PATIENCE = Duration.ofSeconds(10);

    private final ReplicatedNode node;
    private final ReplicaMembership membership;
    private final MdsStateMachine stateMachine;
    private final MeterRegistry meters;

    public MdsReplication(MdsProperties props, MeterRegistry meters) {
        this.meters = meters;
        this.stateMachine = new MdsStateMachine(props.dataDir(), props.rocksdbMemory().toBytes());
        RaftNodeConfig config = new RaftNodeConfig(props.nodeId(), RaftNodeConfig.parsePeers(props.effectivePeers()),
                props.dataDir(), props.raft());
        try {
            String disk = ReplicaDisks.checkBeforeStart(config, props.raftTls(), PEERS_PATIENCE);
            this.node = new ReplicatedNode(ReplicaDisks.GROUP, config, stateMachine, props.raftTls());
            this.membership = new ReplicaMembership(node, stateMachine, disk);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the MDS Raft server in " + props.dataDir(), e);
        }
    }

    /**
     * Takes an MDS replica out of the group and forgets its disk, so it can start again on an empty data directory
     * and join as a new member (it adds itself back once it runs).
     */
    public Mono<Boolean> removeReplica(String replica) {
        java.util.Set<String> rest = new java.util.LinkedHashSet<>(node.config().peers().keySet());
        rest.remove(replica);
        return Mono.fromCallable(() -> {
            node.setMembers(rest); // blocking: Ratis' admin call waits for the leader to commit the change
            return true;
        }).subscribeOn(RATIS_CALLS)
                .onErrorMap(IOException.class, e -> new CamberException(ErrorCode.NO_LEADER, "the MDS group could"
                        + " not take " + replica + " out: " + e.getMessage() + "; retry once a majority of it is up"))
                .then(submit(new MdsCommand.ForgetReplicaDisk(replica), Boolean.class));
    }

    /** Replicates a command and decodes its reply. */
    public <T> Mono<T> submit(MdsCommand command, Class<T> type) {
        String op = command.getClass().getSimpleName();
        Timer.Sample sample = Timer.start(meters);
        return Mono.fromFuture(() -> node.submit(Json.write(command)))
                .subscribeOn(RATIS_CALLS)
                .timeout(REQUEST_TIMEOUT)
                .onErrorMap(MdsReplication::unwrap)
                .doOnTerminate(() -> sample.stop(meters.timer("camber.mds.raft.commit", "op", op)))
                .mapNotNull(bytes -> Reply.decode(bytes, type));
    }

    /** Runs a read on the leader and decodes its answer. */
    public <T> Mono<T> query(MdsQuery query, Class<T> type) {
        String q = query.getClass().getSimpleName();
        Timer.Sample sample = Timer.start(meters);
        return Mono.fromFuture(() -> node.query(Json.write(query)))
                .subscribeOn(RATIS_CALLS)
                .timeout(REQUEST_TIMEOUT)
                .onErrorMap(MdsReplication::unwrap)
                .doOnTerminate(() -> sample.stop(meters.timer("camber.mds.raft.query", "query", q)))
                .mapNotNull(bytes -> Reply.decode(bytes, type));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof CamberException) {
            return cause;
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new CamberException(ErrorCode.NO_LEADER, "the MDS group did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s: no leader, or a majority is down; retry later");
        }
        return new CamberException(ErrorCode.NO_LEADER, "the MDS group could not serve the request ("
                + cause.getClass().getSimpleName() + ": " + cause.getMessage() + "); retry later");
    }

    public ReplicatedNode node() {
        return node;
    }

    public MdsStateMachine stateMachine() {
        return stateMachine;
    }

    @Override
    public void close() throws IOException {
        membership.close();
        node.close();
    }
}
