package io.camber.mds.cluster;

import io.camber.common.api.ClusterStatus;
import io.camber.mds.MdsProperties;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.topology.Topology;
import io.camber.server.raft.RaftNodeConfig;
import io.camber.server.raft.ReplicatedNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
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
    private final String httpAddress;

    public ClusterController(MdsReplication mds, @Value("${server.port:8100}") int port) {
        this.mds = mds;
        this.httpAddress = "127.0.0.1:" + port;
    }

    @GetMapping("/cluster/status")
    @SuppressWarnings("unchecked")
    public Mono<ClusterStatus> status() {
        return mds.query(new MdsQuery.Counts(), Map.class).map(counts -> {
            ReplicatedNode node = mds.node();
            Topology t = mds.stateMachine().topology();
            RaftNodeConfig config = node.config();
            List<ClusterStatus.MdsPeer> peers = config.peers().entrySet().stream().map(e -> new ClusterStatus.MdsPeer(
                    e.getKey(), e.getValue(), e.getKey().equals(node.nodeId()) ? httpAddress : null,
                    e.getKey().equals(node.nodeId()) ? node.role()
                            : node.leaderId().filter(e.getKey()::equals).map(l -> "LEADER").orElse("FOLLOWER")))
                    .toList();
            return new ClusterStatus("camber", node.nodeId(), node.leaderId().orElse(null), peers,
                    t.physicalPools().size(), t.logicalPools().size(), t.chunkServers().size(),
                    t.copysets().values().stream().mapToInt(List::size).sum(),
                    ((Number) counts.get("volumes")).longValue(), ((Number) counts.get("sessions")).longValue(),
                    ((Number) counts.get("garbageChunks")).longValue());
        });
    }
}
