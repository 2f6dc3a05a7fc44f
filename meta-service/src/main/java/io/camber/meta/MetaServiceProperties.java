package io.camber.meta;

import io.camber.server.raft.RaftSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of one meta-service process ({@code camber.meta.*}).
 *
 * @param dataDir            partitions' RocksDB databases, snapshots and Raft logs
 * @param host               address this process's Raft endpoint binds to and peers and clients reach it at
 * @param raftPort           port of the partition groups (Ratis gRPC); clients send metadata operations here
 * @param nodeId             this process's peer id in every partition group it hosts
 * @param memoryPerPartition RocksDB block cache and write buffers of each hosted partition replica
 * @param raft               Ratis settings shared by every partition of this process
 * @param mds                MDS base URLs: registration goes to the first that answers, heartbeats to each; empty
 *                           runs the process unregistered (hosting only partitions already on disk)
 * @param physicalPool       physical pool it registers under (must exist in the topology)
 * @param zone               failure domain (rack) it sits in: a partition's replicas are in three different zones
 * @param server             name of its host in the topology (default: derived from the zone)
 * @param heartbeatInterval  how often the MDS hears from it, and how soon it starts partitions placed on it
 * @param apiKey             the service key it calls the MDS with (role service); empty when the MDS requires none
 */
@ConfigurationProperties("camber.meta")
public record MetaServiceProperties(
        @DefaultValue("./data/meta") Path dataDir,
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("8311") int raftPort,
        @DefaultValue("meta1") String nodeId,
        @DefaultValue("16MB") DataSize memoryPerPartition,
        @DefaultValue RaftSettings raft,
        @DefaultValue("http://127.0.0.1:8100") List<String> mds,
        @DefaultValue("pool1") String physicalPool,
        @DefaultValue("zone1") String zone,
        @DefaultValue("") String server,
        @DefaultValue("3s") Duration heartbeatInterval,
        @DefaultValue("") String apiKey) {

    public MetaServiceProperties {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("camber.meta.node-id is empty: give each meta-service a unique id");
        }
        if (memoryPerPartition == null || memoryPerPartition.toBytes() < 1 << 20) {
            throw new IllegalArgumentException("camber.meta.memory-per-partition is " + memoryPerPartition
                    + " but must be at least 1MB");
        }
    }

    /** The server name, or one derived from the zone when none is set. */
    public String serverName() {
        return server == null || server.isBlank() ? "server-" + zone : server;
    }
}
