package io.camber.server.raft;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of a Ratis server, bound under each service's {@code raft} key ({@code camber.mds.raft.*},
 * {@code camber.chunk.raft.*}). Typed keys cover what operators tune; {@code properties} passes any other
 * {@code raft.*} key of Ratis through unchanged, applied last so it wins.
 *
 * @param electionTimeout      minimum leader-election timeout; the maximum is twice that, the leader lease 0.9 of it
 * @param snapshotThreshold    applied entries between automatic snapshots
 * @param segmentSize          size at which a log segment is closed; only closed segments are purged or cached
 * @param segmentCacheSegments closed segments kept in memory per group (their entries feed slow followers)
 * @param writeBufferSize      log write buffer per group; must hold the largest entry
 * @param appenderBatch        bytes of entries a leader sends a follower in one append
 * @param outstandingAppends   appends in flight per follower; bounds memory toward a slow or dead follower
 * @param appenderWait         least time between two appends to a follower (Ratis' 10ms default adds up to 10ms
 *                             to every commit that finds the appender waiting)
 * @param snapshotPiece        piece size of a snapshot shipped to a follower
 * @param snapshotPiecesInFlight snapshot pieces in flight per follower
 * @param retainForFollowers   keep log entries a follower still needs instead of purging up to the snapshot, so a
 *                             follower that was away catches up from the log (a snapshot install ships everything)
 * @param purgeGap             closed-log entries between purges
 * @param logMetadata          whether Ratis appends a metadata entry after each commit (an extra replicated,
 *                             fsync'd round per write; replicas learn the commit index from the leader anyway)
 * @param asyncFlush           fsync the log on a separate thread while the next entries are written (the flush index
 *                             still advances only after fsync); off by default: in a group of one member, commits
 *                             then stalled for seconds until another entry arrived (MdsApiIT under CPU load)
 * @param messageSizeMax       largest gRPC message (an append batch or a client request)
 * @param properties           any other Ratis key ({@code raft.server.…}) and its value, passed through
 */
public record RaftSettings(
        @DefaultValue("1s") Duration electionTimeout,
        @DefaultValue("10000") long snapshotThreshold,
        @DefaultValue("8MB") DataSize segmentSize,
        @DefaultValue("2") int segmentCacheSegments,
        @DefaultValue("4MB") DataSize writeBufferSize,
        @DefaultValue("2MB") DataSize appenderBatch,
        @DefaultValue("4") int outstandingAppends,
        @DefaultValue("0ms") Duration appenderWait,
        @DefaultValue("1MB") DataSize snapshotPiece,
        @DefaultValue("2") int snapshotPiecesInFlight,
        @DefaultValue("true") boolean retainForFollowers,
        @DefaultValue("1024") int purgeGap,
        @DefaultValue("false") boolean logMetadata,
        @DefaultValue("false") boolean asyncFlush,
        @DefaultValue("64MB") DataSize messageSizeMax,
        Map<String, String> properties) {

    public RaftSettings {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        require(electionTimeout != null && electionTimeout.toMillis() >= 50, "election-timeout",
                electionTimeout, "at least 50ms");
        require(snapshotThreshold >= 1, "snapshot-threshold", snapshotThreshold, "1 or more");
        require(positive(segmentSize), "segment-size", segmentSize, "positive");
        require(segmentCacheSegments >= 0, "segment-cache-segments", segmentCacheSegments, "0 or more");
        require(positive(appenderBatch), "appender-batch", appenderBatch, "positive");
        require(positive(writeBufferSize) && writeBufferSize.toBytes() > appenderBatch.toBytes(), "write-buffer-size",
                writeBufferSize, "larger than appender-batch (" + appenderBatch + ")");
        require(outstandingAppends >= 1, "outstanding-appends", outstandingAppends, "1 or more");
        require(appenderWait != null && !appenderWait.isNegative(), "appender-wait", appenderWait, "0 or more");
        require(positive(snapshotPiece), "snapshot-piece", snapshotPiece, "positive");
        require(snapshotPiecesInFlight >= 1, "snapshot-pieces-in-flight", snapshotPiecesInFlight, "1 or more");
        require(purgeGap >= 1, "purge-gap", purgeGap, "1 or more");
        require(positive(messageSizeMax) && messageSizeMax.toBytes() >= appenderBatch.toBytes(), "message-size-max",
                messageSizeMax, "at least appender-batch (" + appenderBatch + ")");
        for (String key : properties.keySet()) {
            require(key.startsWith("raft."), "properties", key, "Ratis keys, which start with 'raft.'");
        }
    }

    /** Defaults for a group whose entries are small (metadata): the MDS and meta-service partitions. */
    public static RaftSettings defaults() {
        return new RaftSettings(Duration.ofSeconds(1), 10000, DataSize.ofMegabytes(8), 2, DataSize.ofMegabytes(4),
                DataSize.ofMegabytes(2), 4, Duration.ZERO, DataSize.ofMegabytes(1), 2, true, 1024, false,
                false, DataSize.ofMegabytes(64),
                Map.of());
    }

    private static boolean positive(DataSize size) {
        return size != null && size.toBytes() > 0;
    }

    private static void require(boolean ok, String key, Object value, String what) {
        if (!ok) {
            throw new IllegalArgumentException("raft." + key + " is " + value + " but must be " + what
                    + ": fix it in the service's raft settings");
        }
    }
}
