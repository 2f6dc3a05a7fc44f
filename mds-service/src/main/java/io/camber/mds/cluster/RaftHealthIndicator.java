package io.camber.mds.cluster;

import io.camber.mds.raft.MdsReplication;
import io.camber.server.raft.ReplicatedNode;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health of this MDS replica: UP while its Raft group has a leader, with this replica's role. */
@Component("raft")
public class RaftHealthIndicator implements HealthIndicator {
    private final MdsReplication mds;

    public RaftHealthIndicator(MdsReplication mds) {
        this.mds = mds;
    }

    @Override
    public Health health() {
        ReplicatedNode node = mds.node();
        Health.Builder builder = node.leaderId().isPresent() ? Health.up() : Health.down();
        return builder.withDetail("node", node.nodeId())
                .withDetail("role", node.role())
                .withDetail("leader", node.leaderId().orElse("none"))
                .withDetail("term", node.term())
                .withDetail("lastApplied", mds.stateMachine().getLastAppliedTermIndex().getIndex())
                .build();
    }
}
