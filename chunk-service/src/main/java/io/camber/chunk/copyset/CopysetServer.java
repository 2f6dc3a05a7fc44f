package io.camber.chunk.copyset;

import io.camber.chunk.integrity.IntegrityStats;
import io.camber.chunk.integrity.PeerReads;
import io.camber.chunk.integrity.ScrubSettings;
import io.camber.chunk.integrity.Scrubber;
import io.camber.chunk.store.ChunkFilePool;
import io.camber.chunk.store.SpaceGuard;
import io.camber.common.api.CopysetRef;
import io.camber.common.chunk.CopysetIds;
import io.camber.server.raft.GroupServer;
import io.camber.server.raft.RaftSettings;
import io.camber.server.raft.RatisProperties;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where chunk writes are replicated: one Ratis server per chunk-service process hosting one group
 * per copyset (multi-raft). Groups found on disk resume on start; new ones are added when the MDS
 * lists a copyset this chunk server belongs to.
 */
public final class CopysetServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CopysetServer.class);

    private final GroupServer server;
    private final Path copysetsDir;
    private final MembershipSync membership;
    private final IntegrityStats integrity = new IntegrityStats();
    private final Scrubber scrubber;
    private final PeerReads replicaReads;
    private final CatchUp catchUp;

    /**
     * Starts the Ratis server of this chunk server, resuming the copysets found under dataDir; with tls enabled,
     * copyset Raft traffic between chunk servers is mutual TLS. The scrub compares the replicas of the copysets led
     * here every scrub.interval.
     */
    public CopysetServer(long chunkServerId, String host, int port, Path dataDir, ChunkFilePool pool, long chunkSize,
                         SpaceGuard space, RaftSettings raft, io.camber.server.raft.RaftTls tls, ScrubSettings scrub)
            throws IOException {
        this.copysetsDir = dataDir.resolve("copysets");
        this.scrubber = new Scrubber(this::groupServer, raft, tls, integrity, scrub);
        // Bound to the address the chunk server registers (127.0.0.1 by default), not to every interface.
        this.replicaReads = new PeerReads(raft, tls);
        this.catchUp = new CatchUp(replicaReads::ask);
        RaftProperties properties = RatisProperties.server(raft, host, port, dataDir.resolve("raft"));
        // A replica the leader's log cannot catch up is notified and fetches the leader's snapshot itself
        // (SnapshotFetch), resuming after a failure, instead of Ratis streaming it (which restarts from the start).
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(properties, false);
        this.server = new GroupServer(CopysetPeers.peerId(chunkServerId), properties, tls,
                gid -> new CopysetStateMachine(dirOf(gid), pool, chunkSize, space, scrubber, catchUp), null);
        this.membership = new MembershipSync(server, replicaReads::groupOpen);
        scrubber.start();
    }

    private GroupServer groupServer() {
        return server; // null while the constructor starts it: the scrubber then has nothing to do yet
    }

    /** Snapshots and bytes fetched from leaders by replicas catching up here. */
    public CatchUp catchUp() {
        return catchUp;
    }

    /** Checksum errors found and repaired on this chunk server. */
    public IntegrityStats integrity() {
        return integrity;
    }

    private Path dirOf(RaftGroupId gid) {
        UUID uuid = gid.getUuid();
        return copysetsDir.resolve(CopysetIds.logicalPoolId(uuid) + "-" + CopysetIds.copysetId(uuid));
    }

    /**
     * Adds the Ratis groups of copysets this server should host and does not yet, and, for those it leads, changes
     * the group's members to the ones the MDS lists.
     */
    public void ensure(List<CopysetPeers> copysets) throws IOException {
        IOException first = null;
        for (CopysetPeers c : copysets) {
            try {
                ensure(c);
            } catch (IOException | RuntimeException e) {
                // One copyset that cannot be created must not hold up the others: go on, report the first failure.
                LOG.warn("event=copyset-ensure-failed pool={} copyset={} error={}", c.logicalPoolId(), c.copysetId(),
                        e.toString());
                first = first != null ? first : e instanceof IOException io ? io : new IOException(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void ensure(CopysetPeers c) throws IOException {
        RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(c.logicalPoolId(), c.copysetId()));
        if (server.hosts(gid)) {
            membership.reconcile(c);
            return;
        }
        // A copyset as placed (epoch 0) starts with all its members, which elect its first leader. A copyset
        // whose members changed already runs: this server joins it as a new member, and starts with no peers at
        // all, so it waits for the leader to catch it up and send it the configuration that includes it. Started
        // with the new members instead, it would call an election before the leader reached it, and the others,
        // whose configuration does not include it yet, would tell it to shut down.
        List<RaftPeer> peers = c.epoch() > 0 ? List.of() : c.raftPeers();
        server.addGroup(RaftGroup.valueOf(gid, peers));
        LOG.info("event=copyset-created pool={} copyset={} epoch={} peers={}", c.logicalPoolId(), c.copysetId(),
                c.epoch(), peers.isEmpty() ? "(joining: from the leader)" : peers);
    }

    /**
     * Brings a copyset this server leads but was replaced in to the members the MDS lists (which leave this server
     * out: the leader commits that and steps down). Without it, a replaced member that leads would keep the old
     * members for good, since only the leader changes them.
     */
    public void reconcileReplaced(CopysetPeers current) {
        membership.reconcile(current, false); // never hand leadership over in a group this server is leaving
    }

    /** Whether this server leads the hosted copyset now. */
    public boolean leads(CopysetRef copyset) {
        RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(copyset.logicalPoolId(), copyset.copysetId()));
        try {
            return server.division(gid).map(d -> d.getInfo().isLeader()).orElse(false);
        } catch (IllegalStateException e) {
            return false; // still starting
        }
    }

    /** The copysets hosted here that are not among those listed (candidates for removal, if the MDS agrees). */
    public List<CopysetRef> unlisted(List<CopysetPeers> listed) {
        java.util.Set<RaftGroupId> wanted = new java.util.HashSet<>();
        listed.forEach(c -> wanted.add(RaftGroupId.valueOf(CopysetIds.groupUuid(c.logicalPoolId(), c.copysetId()))));
        List<CopysetRef> out = new ArrayList<>();
        for (RaftGroupId gid : server.groupIds()) {
            if (!wanted.contains(gid)) {
                out.add(new CopysetRef(CopysetIds.logicalPoolId(gid.getUuid()), CopysetIds.copysetId(gid.getUuid())));
            }
        }
        return out;
    }

    /**
     * Deletes this server's replica of a copyset it is no longer a member of: the Raft group here (its log and
     * snapshots) and the copyset's chunk files. Only on the MDS's word that the group's committed configuration
     * no longer includes this server (see the MDS's removable-copysets).
     */
    public void remove(CopysetRef copyset) throws IOException {
        RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(copyset.logicalPoolId(), copyset.copysetId()));
        if (!server.hosts(gid)) {
            return;
        }
        server.removeGroup(gid);
        Path dir = dirOf(gid);
        // The copyset's folder (chunk files, snapshots) and its sibling where snapshots being received are staged.
        io.camber.server.storage.Folders.deleteTree(dir);
        io.camber.server.storage.Folders.deleteTree(dir.resolveSibling(dir.getFileName() + ".tmp"));
        LOG.info("event=copyset-replica-removed pool={} copyset={} reason=\"no longer a member\"",
                copyset.logicalPoolId(), copyset.copysetId());
    }

    /** The Ratis server hosting every copyset here, for requests submitted in-process (the data port). */
    public RaftServer raftServer() {
        return server.raftServer();
    }

    /** Live state of each hosted copyset, for heartbeats and metrics. */
    public List<CopysetStatus> status() {
        List<CopysetStatus> out = new ArrayList<>();
        for (RaftGroupId gid : server.groupIds()) {
            try {
                server.division(gid).ifPresent(division -> {
                    org.apache.ratis.server.DivisionInfo info = division.getInfo();
                    UUID uuid = gid.getUuid();
                    out.add(new CopysetStatus(CopysetIds.logicalPoolId(uuid), CopysetIds.copysetId(uuid),
                            info.isLeader(), info.getCurrentTerm(), info.getLastAppliedIndex(),
                            Optional.ofNullable(info.getLeaderId()).map(RaftPeerId::toString).orElse(null),
                            MembershipSync.members(division.getRaftConf()),
                            division.getRaftConf().getPreviousPeers().isEmpty()));
                });
            } catch (IllegalStateException e) {
                // A group still starting up has no state to report yet; the next heartbeat will.
                LOG.debug("event=copyset_status_skipped group={} error={}", gid, e.toString());
            }
        }
        return out;
    }

    /** The state machine of a hosted copyset, if this server hosts it. */
    public Optional<CopysetStateMachine> stateMachine(long logicalPoolId, int copysetId) {
        RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(logicalPoolId, copysetId));
        return server.division(gid).map(d -> (CopysetStateMachine) d.getStateMachine());
    }

    /** IO of every hosted copyset since start: chunk bytes written, writes applied, reads served. */
    public IoTotals ioTotals() {
        long bytes = 0;
        long writes = 0;
        long reads = 0;
        for (RaftGroupId gid : server.groupIds()) {
            CopysetStateMachine sm = server.division(gid).map(d -> (CopysetStateMachine) d.getStateMachine())
                    .orElse(null);
            if (sm == null) {
                continue; // a group still starting contributes nothing yet
            }
            bytes += sm.store() == null ? 0 : sm.store().bytesWritten();
            long[] io = sm.ioCounts();
            writes += io[0];
            reads += io[1];
        }
        return new IoTotals(bytes, writes, reads);
    }

    /** Whether this server hosts the copyset and its replica is running (Ratis has not closed it). */
    public boolean alive(long logicalPoolId, int copysetId) {
        RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(logicalPoolId, copysetId));
        return server.division(gid).map(d -> d.getInfo().isAlive()).orElse(false);
    }

    /** Hosted copysets whose replica here is retrying an entry it could not apply (disk full or failing). */
    public int stalledApplies() {
        int stalled = 0;
        for (RaftGroupId gid : server.groupIds()) {
            boolean isStalled = server.division(gid).map(d -> (CopysetStateMachine) d.getStateMachine())
                    .map(CopysetStateMachine::applyStalled).orElse(false);
            stalled += isStalled ? 1 : 0;
        }
        return stalled;
    }

    /** Totals over the hosted copysets. */
    public record IoTotals(long bytesWritten, long writes, long reads) {
    }

    @Override
    public void close() throws IOException {
        catchUp.close();
        replicaReads.close();
        scrubber.close();
        membership.close();
        server.close();
    }

    /** One copyset as reported in heartbeats. */
    public record CopysetStatus(long logicalPoolId, int copysetId, boolean leader, long term, long appliedIndex,
                                String leaderId, List<Long> peers, boolean stableConf) {
    }
}
