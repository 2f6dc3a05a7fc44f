package io.camber.meta.registration;

import io.camber.common.api.MetaServerHeartbeat.PartitionReport;
import io.camber.common.api.PartitionInfo;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.FsError;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.partition.PartitionStateMachine;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.server.PartitionServer;
import io.camber.server.raft.RaftSettings;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the partitions the MDS placed on this process run here: starts the Raft group of each one it does not host
 * yet and, once this replica leads it, sets the partition's inode range (InitPartition). Both steps are idempotent,
 * so every heartbeat may repeat them after any restart or leader change: an init already applied answers as a
 * retry. Also reports what each hosted partition looks like, for the next heartbeat.
 */
final class PartitionAssignments {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionAssignments.class);
    /** The root directory's mode when a file system is created: rwxr-xr-x, owned by root. */
    static final int ROOT_MODE = 0755;

    private final PartitionServer server;
    private final RaftSettings raft;
    /** Partitions whose InitPartition is on its way, so a slow commit is not sent again by the next heartbeat. */
    private final Set<PartitionId> initializing = ConcurrentHashMap.newKeySet();
    /** Hosted partitions the MDS no longer lists, already logged once. */
    private final Set<PartitionId> orphans = ConcurrentHashMap.newKeySet();

    PartitionAssignments(PartitionServer server, RaftSettings raft) {
        this.server = server;
        this.raft = raft;
    }

    /**
     * Starts and initializes what the MDS lists. Partitions hosted here but no longer listed (their file system was
     * deleted) are left alone and logged once: dropping data on one answer of one MDS is not worth the risk, a GC
     * will remove them.
     */
    void apply(List<PartitionInfo> wanted) {
        Set<PartitionId> listed = new java.util.HashSet<>();
        wanted.forEach(p -> listed.add(new PartitionId(p.fsId(), p.partitionId())));
        for (PartitionId hosted : server.partitions()) {
            if (!listed.contains(hosted) && orphans.add(hosted)) {
                LOG.info("event=partition_orphaned partition={} reason=not-placed-here-by-the-mds", hosted);
            }
        }
        orphans.removeAll(listed);
        for (PartitionInfo p : wanted) {
            PartitionId id = new PartitionId(p.fsId(), p.partitionId());
            try {
                server.ensure(id, peers(p));
                // Only the leader sets the range: one command instead of three, and never sent to a member whose
                // group does not exist yet (Ratis closes a client that meets one).
                if (leads(id) && !initialized(id) && initializing.add(id)) {
                    init(id, p);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("event=partition_start_failed partition={} error={}", id, e.toString());
            }
        }
    }

    private void init(PartitionId id, PartitionInfo p) {
        // This replica first: a Ratis client starts with the first peer as its leader guess, and we lead.
        List<RaftPeer> peers = new ArrayList<>(peers(p));
        peers.sort((a, b) -> Boolean.compare(!a.getId().toString().equals(server.peerId()),
                !b.getId().toString().equals(server.peerId())));
        PartitionClient client = new PartitionClient(id, peers, raft);
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        client.submit(new MetaCommand.InitPartition(p.fsId(), p.partitionId(), p.start(), p.end(), ROOT_MODE, 0, 0,
                nowNanos)).whenComplete((reply, error) -> {
                    initializing.remove(id);
                    if (error != null || reply.error() != FsError.OK) {
                        LOG.warn("event=partition_init_failed partition={} error={}", id,
                                error != null ? error.toString() : reply.error() + " " + reply.message());
                    } else {
                        LOG.info("event=partition_initialized partition={} start={} end={}", id, p.start(), p.end());
                    }
                    try {
                        client.close();
                    } catch (IOException e) {
                        LOG.debug("event=partition_client_close_failed partition={} error={}", id, e.toString());
                    }
                });
    }

    private boolean leads(PartitionId id) {
        return server.division(id).map(d -> d.getInfo().isLeader()).orElse(false);
    }

    private boolean initialized(PartitionId id) {
        return server.stateMachine(id).map(PartitionAssignments::statsOrNull).isPresent();
    }

    /** One report per hosted partition: role, term, applied index and usage. */
    List<PartitionReport> reports() {
        List<PartitionReport> reports = new ArrayList<>();
        for (PartitionId id : server.partitions()) {
            Optional<RaftServer.Division> division = server.division(id);
            if (division.isEmpty()) {
                continue;
            }
            var info = division.get().getInfo();
            PartitionStats stats = statsOrNull((PartitionStateMachine) division.get().getStateMachine());
            reports.add(new PartitionReport(id.fsId(), id.partitionId(), info.isLeader(), info.getCurrentTerm(),
                    info.getLastAppliedIndex(), stats != null, stats == null ? 0 : stats.nextIno(),
                    stats == null ? 0 : stats.end(), stats == null ? 0 : stats.inodesUsed()));
        }
        return reports;
    }

    /** Null while the replica is not initialized, or not open (starting, installing a snapshot). */
    private static PartitionStats statsOrNull(PartitionStateMachine sm) {
        try {
            return sm.stats();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static List<RaftPeer> peers(PartitionInfo p) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < p.peerIds().size(); i++) {
            if (p.peerIds().get(i) == null || p.addresses().get(i) == null) {
                throw new IllegalStateException("partition fs" + p.fsId() + "/p" + p.partitionId() + " names a meta"
                        + " server the MDS no longer knows (member " + p.metaServers().get(i) + ")");
            }
            peers.add(RaftPeer.newBuilder().setId(p.peerIds().get(i)).setAddress(p.addresses().get(i)).build());
        }
        return peers;
    }
}
