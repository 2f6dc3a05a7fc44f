package io.camber.chunk.copyset;

import io.camber.chunk.store.ChunkFilePool;
import io.camber.common.chunk.CopysetIds;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where chunk writes are replicated: one Ratis server per chunk-service process hosting one group
 * per copyset (multi-raft). Groups found on disk resume on start; new ones are added when the MDS
 * lists a copyset this chunk server belongs to.
 */
public final class CopysetServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CopysetServer.class);

    private final RaftServer server;
    private final RaftPeerId self;
    private final Path copysetsDir;
    private final AtomicLong callIds = new AtomicLong();

    public CopysetServer(long chunkServerId, int port, Path dataDir, ChunkFilePool pool, long chunkSize,
                         long snapshotThreshold) throws IOException {
        this.self = RaftPeerId.valueOf(CopysetPeers.peerId(chunkServerId));
        this.copysetsDir = dataDir.resolve("copysets");
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setPort(props, port);
        // Chunk writes carry up to a few MiB of payload per entry.
        GrpcConfigKeys.setMessageSizeMax(props, SizeInBytes.valueOf("64MB"));
        RaftServerConfigKeys.setStorageDir(props, List.of(dataDir.resolve("raft").toFile()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, snapshotThreshold);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
        RaftServerConfigKeys.Log.setPurgeGap(props, (int) Math.min(1024, snapshotThreshold));
        // Memory per copyset is bounded: a process hosts tens to hundreds of them. An entry (up to 1 MiB of
        // payload) must fit the appender batch, and the write buffer must exceed that batch.
        // Ratis keeps the open log segment and up to 200 MB of closed ones in memory per group by default: with
        // tens of copysets per process and payload inside the entries, that exhausts the heap. Small segments and
        // a small cache bound a copyset to about 4 MB of heap; older entries are read back from the log file.
        RaftServerConfigKeys.Log.setSegmentSizeMax(props, SizeInBytes.valueOf("2MB"));
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(props, 1);
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(props, SizeInBytes.valueOf("2MB"));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(props, SizeInBytes.valueOf("1088KB"));
        // Appends to a follower that is down pile up (gRPC buffers them while it reconnects); with payload in
        // the entries, eight outstanding batches per copyset exhausted the leaders' heap within seconds.
        GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(props, 2);
        // Snapshots are whole chunk files. Ratis sends them in 16 MB pieces, eight in flight, by default: towards
        // a replica that is down, every copyset led here buffered 128 MB and the heap ran out. Small pieces, two
        // in flight, keep a catch-up at a few MB per copyset.
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(props, SizeInBytes.valueOf("1MB"));
        GrpcConfigKeys.Server.setInstallSnapshotRequestElementLimit(props, 2);
        RaftServerConfigKeys.Log.setWriteBufferSize(props, SizeInBytes.valueOf("4MB"));
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(props, true);
        this.server = RaftServer.newBuilder()
                .setServerId(self)
                .setProperties(props)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .setStateMachineRegistry(gid -> new CopysetStateMachine(dirOf(gid), pool, chunkSize))
                .build();
        server.start();
    }

    private Path dirOf(RaftGroupId gid) {
        UUID uuid = gid.getUuid();
        return copysetsDir.resolve(CopysetIds.logicalPoolId(uuid) + "-" + CopysetIds.copysetId(uuid));
    }

    /** Adds the Ratis groups of copysets this server should host and does not yet. */
    public void ensure(List<CopysetPeers> copysets) throws IOException {
        Set<RaftGroupId> hosted = Set.copyOf(toList(server.getGroupIds()));
        for (CopysetPeers c : copysets) {
            RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(c.logicalPoolId(), c.copysetId()));
            if (hosted.contains(gid)) {
                continue;
            }
            // One member per copyset gets a higher election priority, rotating with the copyset id, so that
            // leaders (and the write load they carry) spread over the chunk servers instead of piling on one.
            int preferred = Math.floorMod(c.copysetId(), c.members().size());
            List<RaftPeer> peers = new ArrayList<>();
            for (int i = 0; i < c.members().size(); i++) {
                CopysetPeers.Member m = c.members().get(i);
                peers.add(RaftPeer.newBuilder().setId(CopysetPeers.peerId(m.chunkServerId())).setAddress(m.address())
                        .setPriority(i == preferred ? 1 : 0).build());
            }
            RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(), self,
                    callIds.incrementAndGet(), RaftGroup.valueOf(gid, peers)));
            if (!reply.isSuccess()) {
                throw new IOException("cannot create copyset " + c.logicalPoolId() + "-" + c.copysetId() + ": "
                        + reply.getException());
            }
            LOG.info("event=copyset-created pool={} copyset={} peers={}", c.logicalPoolId(), c.copysetId(), peers);
        }
    }

    /** Live state of each hosted copyset, for heartbeats and metrics. */
    public List<CopysetStatus> status() {
        List<CopysetStatus> out = new ArrayList<>();
        for (RaftGroupId gid : toList(server.getGroupIds())) {
            try {
                RaftServer.Division d = server.getDivision(gid);
                DivisionInfo info = d.getInfo();
                UUID uuid = gid.getUuid();
                out.add(new CopysetStatus(CopysetIds.logicalPoolId(uuid), CopysetIds.copysetId(uuid), info.isLeader(),
                        info.getCurrentTerm(), info.getLastAppliedIndex(),
                        Optional.ofNullable(info.getLeaderId()).map(RaftPeerId::toString).orElse(null)));
            } catch (IOException | IllegalStateException e) {
                // A group still starting up has no state to report yet; the next heartbeat will.
                LOG.debug("event=copyset-status-skipped group={} error={}", gid, e.toString());
            }
        }
        return out;
    }

    /** The state machine of a hosted copyset, if this server hosts it. */
    public Optional<CopysetStateMachine> stateMachine(long logicalPoolId, int copysetId) {
        try {
            RaftGroupId gid = RaftGroupId.valueOf(CopysetIds.groupUuid(logicalPoolId, copysetId));
            return Optional.of((CopysetStateMachine) server.getDivision(gid).getStateMachine());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** IO of every hosted copyset since start: chunk bytes written, writes applied, reads served. */
    public IoTotals ioTotals() {
        long bytes = 0;
        long writes = 0;
        long reads = 0;
        for (RaftGroupId gid : toList(server.getGroupIds())) {
            try {
                CopysetStateMachine sm = (CopysetStateMachine) server.getDivision(gid).getStateMachine();
                bytes += sm.store() == null ? 0 : sm.store().bytesWritten();
                long[] io = sm.ioCounts();
                writes += io[0];
                reads += io[1];
            } catch (IOException | IllegalStateException e) {
                // a group still starting contributes nothing yet
            }
        }
        return new IoTotals(bytes, writes, reads);
    }

    /** Totals over the hosted copysets. */
    public record IoTotals(long bytesWritten, long writes, long reads) {
    }

    private static <T> List<T> toList(Iterable<T> items) {
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One copyset as reported in heartbeats. */
    public record CopysetStatus(long logicalPoolId, int copysetId, boolean leader, long term, long appliedIndex,
                                String leaderId) {
    }
}
