package io.camber.mds.cluster;

import io.camber.common.CamberException;
import io.camber.common.api.ClusterHealth;
import io.camber.common.api.ClusterStatus;
import io.camber.common.api.CopysetHealth;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.topology.HeartbeatTracker;
import io.camber.mds.topology.Topology;
import io.camber.server.raft.RaftNodeConfig;
import io.camber.server.raft.ReplicatedNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;


import java.util.List;
import java.util.Map;

/** Where cluster status requests enter. */
@RestController
@RequestMapping("/api/v1")
public class ClusterController {
    private final MdsReplication mds;
    private final HeartbeatTracker heartbeats;
    private final String httpAddress;

    public ClusterController(MdsReplication mds, HeartbeatTracker heartbeats,
                             @Value("${server.port:8100}") int port) {
        this.mds = mds;
        this.heartbeats = heartbeats;
        this.httpAddress = "127.0.0.1:" + port;
    }

    /** HEALTH_OK, HEALTH_WARN or HEALTH_ERR with the reasons and counts behind it. */
    @GetMapping("/cluster/health")
    public Mono<ClusterHealth> health() {
        return mds.query(new MdsQuery.Counts(), Map.class).map(counts -> assess(counts));
    }

    @GetMapping("/cluster/status")
    public Mono<ClusterStatus> status() {
        return mds.query(new MdsQuery.Counts(), Map.class).map(counts -> {
            ClusterHealth h = assess(counts);
            ReplicatedNode node = mds.node();
            Topology t = mds.stateMachine().topology();
            RaftNodeConfig config = node.config();
            List<ClusterStatus.MdsPeer> peers = config.peers().entrySet().stream().map(e -> new ClusterStatus.MdsPeer(
                    e.getKey(), e.getValue(), e.getKey().equals(node.nodeId()) ? httpAddress : null,
                    e.getKey().equals(node.nodeId()) ? node.role()
                            : node.leaderId().filter(e.getKey()::equals).map(l -> "LEADER").orElse("FOLLOWER")))
                    .toList();
            return new ClusterStatus(h.health(), h.reasons(), "camber", node.nodeId(), node.leaderId().orElse(null),
                    peers, t.physicalPools().size(), t.logicalPools().size(), h.chunkServers(), h.chunkServersUp(),
                    t.copysets().values().stream().mapToInt(List::size).sum(), h.copysetsHealthy(),
                    h.copysetsDegraded(), h.copysetsUnavailable(), h.capacityBytes(), h.fullestDiskPercent(),
                    number(counts, "volumes"), number(counts, "sessions"), h.garbageChunks(), h.copysetsMoving());
        });
    }

    /**
     * Takes an MDS replica whose disk was wiped or replaced out of the group and forgets its disk, so it can start on
     * an empty data directory (it refuses to until then) and join as a new member: once it runs it asks the leader to
     * add it back, and Ratis counts its vote only after it caught up.
     */
    @PostMapping("/cluster/mds/{replica}/rejoin")
    public Mono<Map<String, String>> rejoin(@PathVariable String replica) {
        ReplicatedNode node = mds.node();
        if (!node.config().peers().containsKey(replica)) {
            throw CamberException.notFound("no MDS replica " + replica + " among the configured peers "
                    + node.config().peers().keySet());
        }
        if (replica.equals(node.nodeId())) {
            throw CamberException.conflict("MDS replica " + replica + " answered this request, so it runs with its"
                    + " log: send it to another replica");
        }
        return mds.removeReplica(replica).thenReturn(Map.of("replica", replica, "message", "MDS replica " + replica
                + " left the group and its disk is forgotten: start it on an empty data directory; it joins again as"
                + " a new member"));
    }

    /** Each copyset's state, leader and replicas (their liveness and log lag). */
    @GetMapping("/copysets/health")
    public List<CopysetHealth> copysets() {
        return HealthCheck.copysets(mds.stateMachine().topology(), heartbeats::stateOf, heartbeats.latest());
    }

    private ClusterHealth assess(Map<?, ?> counts) {
        return HealthCheck.assess(mds.stateMachine().topology(), heartbeats::stateOf, heartbeats.latest(),
                number(counts, "garbageChunks"));
    }

    private static long number(Map<?, ?> counts, String name) {
        Object v = counts.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
