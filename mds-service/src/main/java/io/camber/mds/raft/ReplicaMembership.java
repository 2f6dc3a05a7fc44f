package io.camber.mds.raft;

import io.camber.server.codec.Json;
import io.camber.server.raft.ReplicatedNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this MDS replica a voting member on the disk the group knows: while a peer's configuration leaves it out (an
 * operator took it out with `camber cluster rejoin-mds`, or it is new) it asks the leader to add it back, which
 * Ratis does only once it caught up; while the group's record of its disk differs from its own, it records it.
 */
final class ReplicaMembership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaMembership.class);
    /** How often it checks until it is a member on a recorded disk, and after that (each check opens a client). */
    private static final Duration EVERY = Duration.ofSeconds(5);
    private static final Duration SETTLED_EVERY = Duration.ofSeconds(60);

    private final ReplicatedNode node;
    private final MdsStateMachine stateMachine;
    private final String disk;
    private final Thread thread;
    private volatile boolean closed;

    ReplicaMembership(ReplicatedNode node, MdsStateMachine stateMachine, String disk) {
        this.node = node;
        this.stateMachine = stateMachine;
        this.disk = disk;
        this.thread = new Thread(this::run, "mds-replica-membership");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!closed) {
            boolean settled = false;
            try {
                boolean member = rejoinIfLeftOut();
                if (!disk.equals(stateMachine.recordedDisk(node.nodeId()))) {
                    node.submit(Json.write(new MdsCommand.RecordReplicaDisk(node.nodeId(), disk)))
                            .get(15, TimeUnit.SECONDS);
                } else {
                    settled = member;
                }
            } catch (Exception e) {
                LOG.debug("event=mds-replica-membership-retry error={}", e.toString());
            }
            try {
                Thread.sleep((settled ? SETTLED_EVERY : EVERY).toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether a peer's configuration counts this replica (after adding it back if it did not). */
    private boolean rejoinIfLeftOut() throws Exception {
        if (node.config().peers().size() == 1) {
            return true;
        }
        for (String peer : node.config().peers().keySet()) {
            if (peer.equals(node.nodeId())) {
                continue;
            }
            Optional<Set<String>> members = node.membersSeenBy(peer);
            if (members.isEmpty()) {
                continue;
            }
            if (!members.get().contains(node.nodeId())) {
                LOG.info("event=mds-replica-rejoining replica={} members={}", node.nodeId(), members.get());
                node.setMembers(node.config().peers().keySet());
                LOG.info("event=mds-replica-rejoined replica={}", node.nodeId());
                return false; // checked again soon
            }
            return true; // one peer that answers is enough
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000); // before the node and its store close under it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
