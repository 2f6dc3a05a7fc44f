package io.camber.mds;

import io.camber.server.raft.RaftSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one MDS replica ({@code camber.mds.*}).
 *
 * @param nodeId            this replica's id in the Raft group
 * @param raftAddress       host:port of this replica's Raft endpoint, used when peers is empty
 * @param peers             every replica as id=host:port, comma separated (empty: a group of one)
 * @param dataDir           Raft log, snapshots and RocksDB live here
 * @param sessionLease      how long a session lives without a renewal
 * @param rocksdbMemory     block cache and write buffers together
 * @param expiryInterval    how often the leader drops expired sessions
 * @param raft              the Ratis settings of the MDS group (election timeout, snapshots, log)
 * @param chunkserverUnstableAfter heartbeat silence after which a chunk server is UNSTABLE
 * @param chunkserverOfflineAfter  heartbeat silence after which a chunk server is OFFLINE
 * @param raftTls           mutual TLS for the MDS group's Raft traffic (cert-file, key-file, trust-file; unset: off)
 * @param recovery          when and how fast lost copyset replicas are rebuilt on other chunk servers
 * @param balance           whether the leader evens out copysets and leaders per chunk server
 */
@ConfigurationProperties("camber.mds")
public record MdsProperties(
        @DefaultValue("mds1") String nodeId,
        @DefaultValue("127.0.0.1:8101") String raftAddress,
        @DefaultValue("") String peers,
        @DefaultValue("./data/mds") Path dataDir,
        @DefaultValue("20s") Duration sessionLease,
        @DefaultValue("64MB") DataSize rocksdbMemory,
        @DefaultValue("5s") Duration expiryInterval,
        @DefaultValue RaftSettings raft,
        @DefaultValue("30s") Duration chunkserverUnstableAfter,
        @DefaultValue("2m") Duration chunkserverOfflineAfter,
        @DefaultValue io.camber.server.raft.RaftTls raftTls,
        @DefaultValue Recovery recovery,
        @DefaultValue Balance balance) {

    /**
     * The replica and leader balancers ({@code camber.mds.balance.*}); they move as many replicas at once per chunk
     * server as recovery does (recovery.per-chunk-server), and only while nothing is to be recovered.
     *
     * @param enabled whether the leader balances at all
     */
    public record Balance(@DefaultValue("true") boolean enabled) {
    }

    /**
     * The recover scheduler ({@code camber.mds.recovery.*}).
     *
     * @param enabled      whether the leader rebuilds lost replicas at all
     * @param after        heartbeat silence after which a chunk server's replicas are rebuilt elsewhere (Curve's
     *                     default: 30 minutes, so a reboot or a short outage does not move data); a retired chunk
     *                     server's (wiped or replaced disk) are rebuilt at once
     * @param interval     how often the leader looks for lost replicas
     * @param perChunkServer at most this many replicas catching up on one chunk server at once
     * @param joinTimeout  how long a new member may take to join its copyset (group created, caught up, taken into
     *                     the configuration) before it is replaced in turn
     */
    public record Recovery(@DefaultValue("true") boolean enabled, @DefaultValue("30m") Duration after,
                           @DefaultValue("5s") Duration interval, @DefaultValue("2") int perChunkServer,
                           @DefaultValue("30m") Duration joinTimeout) {
        public Recovery {
            if (perChunkServer < 1) {
                throw new IllegalArgumentException("camber.mds.recovery.per-chunk-server must be at least 1, not "
                        + perChunkServer);
            }
        }
    }

    /** The peers setting, or this replica alone when it is empty. */
    public String effectivePeers() {
        return peers == null || peers.isBlank() ? nodeId + "=" + raftAddress : peers;
    }
}
