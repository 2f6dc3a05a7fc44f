package io.camber.server.raft;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The one place where {@link RaftSettings} become Ratis properties, for servers and for clients. */
public final class RatisProperties {
    /**
     * The JVM's common ForkJoinPool sizes itself to cores - 1: on two cores that is one thread, and
     * CompletableFuture's async steps (Ratis' follower append path uses them) then start a new thread
     * per task. Four keeps those steps on pooled threads.
     */
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private RatisProperties() {
    }

    /** Call first thing in main(), before anything touches the common pool: sizes it unless set on the command line. */
    public static void prepareJvm() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(4,
                    Runtime.getRuntime().availableProcessors())));
        }
    }

    /** Properties of a Ratis server listening on port (every interface), keeping its logs under storageDir. */
    public static RaftProperties server(RaftSettings s, int port, Path storageDir) {
        return server(s, null, port, storageDir);
    }

    /** How long a leader waits for a follower to acknowledge a snapshot piece (see server()). */
    static final TimeDuration SNAPSHOT_PIECE_TIMEOUT = TimeDuration.valueOf(1, TimeUnit.SECONDS);

    /** Properties of a Ratis server listening on host:port (host null: every interface). */
    public static RaftProperties server(RaftSettings s, String host, int port, Path storageDir) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        if (host != null) {
            GrpcConfigKeys.Server.setHost(p, host);
        }
        GrpcConfigKeys.Server.setPort(p, port);
        GrpcConfigKeys.setMessageSizeMax(p, size(s.messageSizeMax().toBytes()));
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotThreshold());
        // Retained, the log is purged only up to what every member has committed: a follower that was away
        // is fed from the log instead of receiving a whole snapshot.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, !s.retainForFollowers());
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(s.purgeGap(), s.snapshotThreshold()));

        RaftServerConfigKeys.Log.setSegmentSizeMax(p, size(s.segmentSize().toBytes()));
        // Entries of the open segment and of the cached closed ones stay on the heap; a process hosts many groups.
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, s.segmentCacheSegments());
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p,
                size(s.segmentSize().toBytes() * (s.segmentCacheSegments() + 1L)));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, size(s.writeBufferSize().toBytes()));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, size(s.appenderBatch().toBytes()));
        GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(p, s.outstandingAppends());
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, millis(s.appenderWait().toMillis()));
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, size(s.snapshotPiece().toBytes()));
        GrpcConfigKeys.Server.setInstallSnapshotRequestElementLimit(p, s.snapshotPiecesInFlight());
        // Ratis 3.3 keeps every snapshot piece it sent on the heap until that piece's stream timeout would fire (the
        // timeout task holds the request), acknowledged or not: piece timeout x pieces in flight x the send rate.
        // At its default 3 s (x 2 pieces here) a chunk-service leader streaming 1.3 GiB of chunk files at about
        // 30 MiB/s held 190 MB of pieces and ran out of its 512 MB heap. A follower writes a 1 MiB piece in
        // milliseconds, so a second is ample; a raft.* property can still override it.
        GrpcConfigKeys.Server.setInstallSnapshotRequestTimeout(p, SNAPSHOT_PIECE_TIMEOUT);
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, s.logMetadata());
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, s.asyncFlush());

        long min = s.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(min));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(2 * min));
        // Linearizable reads; under a valid leader lease the leader answers without a round to its followers.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        s.properties().forEach(p::set);
        return p;
    }

    /** Properties of a Ratis client: gRPC, large messages, requestTimeout per attempt, many requests in flight. */
    public static RaftProperties client(RaftSettings s, Duration requestTimeout) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.setMessageSizeMax(p, size(s.messageSizeMax().toBytes()));
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(requestTimeout.toMillis()));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1024);
        s.properties().forEach(p::set);
        return p;
    }

    private static SizeInBytes size(long bytes) {
        return SizeInBytes.valueOf(bytes);
    }

    private static TimeDuration millis(long ms) {
        return TimeDuration.valueOf(ms, TimeUnit.MILLISECONDS);
    }
}
