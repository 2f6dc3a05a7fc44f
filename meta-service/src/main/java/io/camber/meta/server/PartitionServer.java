package io.camber.meta.server;

import io.camber.meta.protocol.PartitionId;
import io.camber.meta.partition.PartitionStateMachine;
import io.camber.server.raft.GroupServer;
import io.camber.server.raft.RaftSettings;
import io.camber.server.raft.RatisProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a meta-service process hosts its partitions: one Ratis server with one group per partition replica
 * (multi-raft). Partitions found under the data directory resume at start; new ones are added when told (by the
 * MDS through the heartbeat answers, by tests directly).
 */
public final class PartitionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionServer.class);

    private final GroupServer server;
    private final Path partitionsDir;

    /**
     * Starts the Ratis server of this process on host:port, resuming the partitions found under dataDir.
     *
     * @param peerId            this server's id in every partition group it is a member of
     * @param host              the address the Raft endpoint binds to (peers and clients reach it there)
     * @param memoryPerPartition RocksDB block cache and write buffers of one partition replica, in bytes
     */
    public PartitionServer(String peerId, String host, int port, Path dataDir, RaftSettings raft,
                           long memoryPerPartition, MeterRegistry metrics) throws IOException {
        this.partitionsDir = dataDir.resolve("partitions");
        this.server = new GroupServer(peerId, RatisProperties.server(raft, host, port, dataDir.resolve("raft")),
                gid -> new PartitionStateMachine(dirOf(gid), memoryPerPartition, metrics), null);
        LOG.info("event=partition_server_started peer={} address={}:{} dir={} partitions={}", peerId, host, port,
                dataDir, partitions().size());
    }

    private Path dirOf(RaftGroupId gid) {
        PartitionId id = PartitionId.of(gid);
        if (id == null) {
            throw new IllegalArgumentException("group " + gid + " is not a meta-service partition");
        }
        return partitionsDir.resolve(id.dirName());
    }

    /** Adds this server's replica of a partition, unless it hosts it already. */
    public void ensure(PartitionId id, List<RaftPeer> peers) throws IOException {
        if (server.hosts(id.groupId())) {
            return;
        }
        server.addGroup(RaftGroup.valueOf(id.groupId(), peers));
        LOG.info("event=partition_created partition={} peers={}", id, peers);
    }

    /** The partitions hosted here. */
    public List<PartitionId> partitions() {
        List<PartitionId> ids = new ArrayList<>();
        for (RaftGroupId gid : server.groupIds()) {
            PartitionId id = PartitionId.of(gid);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** This server's replica of the partition, if hosted and started. */
    public Optional<PartitionStateMachine> stateMachine(PartitionId id) {
        return server.division(id.groupId()).map(d -> (PartitionStateMachine) d.getStateMachine());
    }

    /** This server's Raft member of the partition, for its role and indexes. */
    public Optional<RaftServer.Division> division(PartitionId id) {
        return server.division(id.groupId());
    }

    /** This server's peer id. */
    public String peerId() {
        return server.self().toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
