package io.camber.chunk.copyset;

import io.camber.common.chunk.CopysetIds;
import io.camber.server.raft.GroupServer;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings the Raft configuration of the copysets this chunk server leads to the members the MDS lists. Only the
 * leader changes it, through Ratis' own membership change: the leader first catches a new member up (log entries,
 * or a snapshot when the log no longer holds what it needs), then commits the joint and the new configuration, so
 * a copyset never counts a member that lacks what it acknowledged. One change per copyset at a time; a change that
 * fails (the new member not up yet, a leader change) is tried again from a later heartbeat. A description older
 * than one already acted on (a lagging MDS answer) is ignored, so members never flip back.
 */
final class MembershipSync {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipSync.class);

    private final GroupServer server;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final Map<RaftGroupId, Long> epochs = new ConcurrentHashMap<>();
    private final Set<RaftGroupId> changing = ConcurrentHashMap.newKeySet();

    MembershipSync(GroupServer server) {
        this.server = server;
    }

    /** The chunk-server ids of a configuration's current members. */
    static List<Long> members(RaftConfiguration conf) {
        return conf.getCurrentPeers().stream().map(p -> CopysetPeers.chunkServerId(p.getId().toString())).sorted()
                .toList();
    }

    /** Starts a change of the group to the listed members if this server leads it and they differ. */
    void reconcile(CopysetPeers wanted) {
        RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(wanted.logicalPoolId(), wanted.copysetId()));
        long seen = epochs.merge(gid, wanted.epoch(), Math::max);
        if (wanted.epoch() < seen) {
            return;
        }
        RaftServer.Division division = server.division(gid).orElse(null);
        if (division == null || !division.getInfo().isLeader()) {
            return;
        }
        RaftConfiguration conf = division.getRaftConf();
        List<Long> want = wanted.members().stream().map(CopysetPeers.Member::chunkServerId).sorted().toList();
        if (!conf.getPreviousPeers().isEmpty() || members(conf).equals(want) || !changing.add(gid)) {
            return; // a change is under way (ours or one Ratis is finishing), or nothing to change
        }
        List<RaftPeer> peers = wanted.raftPeers();
        LOG.info("event=copyset-membership-change pool={} copyset={} epoch={} from={} to={}",
                wanted.logicalPoolId(), wanted.copysetId(), wanted.epoch(), members(conf), want);
        try {
            server.raftServer().setConfigurationAsync(new SetConfigurationRequest(clientId, server.self(), gid,
                    callIds.incrementAndGet(), peers)).whenComplete((reply, error) -> {
                        changing.remove(gid);
                        if (error == null && reply.isSuccess()) {
                            LOG.info("event=copyset-membership-changed pool={} copyset={} epoch={} members={}",
                                    wanted.logicalPoolId(), wanted.copysetId(), wanted.epoch(), want);
                        } else {
                            LOG.warn("event=copyset-membership-change-failed pool={} copyset={} epoch={} error={}",
                                    wanted.logicalPoolId(), wanted.copysetId(), wanted.epoch(),
                                    error != null ? error.toString() : String.valueOf(reply.getException()));
                        }
                    });
        } catch (IOException | RuntimeException e) {
            changing.remove(gid);
            LOG.warn("event=copyset-membership-change-failed pool={} copyset={} error={}", wanted.logicalPoolId(),
                    wanted.copysetId(), e.toString());
        }
    }
}
