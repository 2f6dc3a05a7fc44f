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
 * @param gc                 how partition leaders return the space of deleted and truncated files
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
        @DefaultValue("") String apiKey,
        @DefaultValue SpaceGc gc) {

    public MetaServiceProperties {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("camber.meta.node-id is empty: give each meta-service a unique id");
        }
        if (memoryPerPartition == null || memoryPerPartition.toBytes() < 1 << 20) {
            throw new IllegalArgumentException("camber.meta.memory-per-partition is " + memoryPerPartition
                    + " but must be at least 1MB");
        }
    }

    /**
     * The space GC of the partitions this process leads ({@code camber.meta.gc.*}).
     *
     * @param enabled        off only to keep freed space untouched (forensics); the space is then never reused
     * @param interval       pause between two passes over the partitions led here
     * @param recordsPerPass GC records (deleted inodes, cut extents) one pass handles per partition: with the pause,
     *                       bounds the trim traffic GC adds to the chunk services
     * @param orphanGrace    how long a file whose last name went keeps its space after its unlink or its last renewal
     *                       ({@code KeepOrphan}, which mounts that have it open send every 15 s): keep it well above
     *                       15 s, or open files lose their data; 0 frees orphans at the next pass (tests)
     * @param trimTimeout    longest one trim call (up to 64 MiB of a record) may take before the pass gives up on the
     *                       record (the next pass tries it again)
     */
    public record SpaceGc(@DefaultValue("true") boolean enabled,
                          @DefaultValue("2s") Duration interval,
                          @DefaultValue("100") int recordsPerPass,
                          @DefaultValue("60s") Duration orphanGrace,
                          @DefaultValue("60s") Duration trimTimeout) {
        public SpaceGc {
            if (recordsPerPass < 1 || recordsPerPass > 10_000) {
                throw new IllegalArgumentException("camber.meta.gc.records-per-pass is " + recordsPerPass
                        + " but must be 1 to 10000");
            }
            if (interval.isNegative() || interval.isZero() || orphanGrace.isNegative() || trimTimeout.isNegative()
                    || trimTimeout.isZero()) {
                throw new IllegalArgumentException("camber.meta.gc durations must be positive (orphan-grace may be 0)");
            }
        }
    }

    /** The server name, or one derived from the zone when none is set. */
    public String serverName() {
        return server == null || server.isBlank() ? "server-" + zone : server;
    }
}
