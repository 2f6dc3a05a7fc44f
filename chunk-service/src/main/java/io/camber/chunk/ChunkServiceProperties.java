package io.camber.chunk;

import io.camber.server.raft.RaftSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of one chunk server ({@code camber.chunk.*}): one process, one disk.
 *
 * @param dataDir           the disk: chunk file pool, copysets and their Raft logs
 * @param host              address peers and clients reach this chunk server at
 * @param raftPort          port of the copysets' Raft servers, registered with the MDS; names the chunk server
 * @param dataPort          port where clients send chunk IO (the data protocol), registered with the MDS
 * @param physicalPool      physical pool the chunk server joins
 * @param zone              failure domain (rack) it sits in
 * @param server            name of its host in the topology
 * @param mds               MDS base URLs; heartbeats go to each, registration to the first that answers
 * @param capacity          space offered to chunks
 * @param chunkSize         chunk file size; logical pools served here must use the same
 * @param poolSize          chunk files kept preallocated, refilled in the background
 * @param reservedSpace     disk space writes never use: kept for the Raft logs of accepted entries, snapshot
 *                          meta files, and deletes; below it writes are refused with NO_SPACE
 * @param heartbeatInterval how often the MDS hears from this chunk server
 * @param raft              Ratis settings shared by every copyset of this chunk server
 * @param scrub             how often and how fast replicas are compared (checksum scrub)
 * @param raftTls           mutual TLS for the copysets' Raft traffic (cert-file, key-file, trust-file; unset: off)
 * @param apiKey            the service key this chunk server calls the MDS with (role service); empty when the MDS
 *                          runs without authentication
 */
@ConfigurationProperties("camber.chunk")
public record ChunkServiceProperties(
        @DefaultValue("./data/chunk") Path dataDir,
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("8211") int raftPort,
        @DefaultValue("8221") int dataPort,
        @DefaultValue("pool1") String physicalPool,
        @DefaultValue("zone1") String zone,
        @DefaultValue("") String server,
        @DefaultValue("http://127.0.0.1:8100") List<String> mds,
        @DefaultValue("100GB") DataSize capacity,
        @DefaultValue("16MB") DataSize chunkSize,
        @DefaultValue("16") int poolSize,
        @DefaultValue("256MB") DataSize reservedSpace,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue RaftSettings raft,
        @DefaultValue("") String apiKey,
        @DefaultValue io.camber.server.raft.RaftTls raftTls,
        @DefaultValue io.camber.chunk.integrity.ScrubSettings scrub) {

    /** The server name, or one derived from the zone when none is set. */
    public String serverName() {
        return server == null || server.isBlank() ? "server-" + zone : server;
    }
}
