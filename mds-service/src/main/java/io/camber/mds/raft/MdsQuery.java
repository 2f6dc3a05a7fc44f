package io.camber.mds.raft;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.camber.common.api.TopologySpec;

/** Every read of MDS state, answered by the leader so it never goes back in time. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "q")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MdsQuery.GetTopology.class, name = "topology"),
        @JsonSubTypes.Type(value = MdsQuery.PlanTopology.class, name = "planTopology"),
        @JsonSubTypes.Type(value = MdsQuery.ListChunkServers.class, name = "chunkServers"),
        @JsonSubTypes.Type(value = MdsQuery.ListPools.class, name = "pools"),
        @JsonSubTypes.Type(value = MdsQuery.ListCopysets.class, name = "copysets"),
        @JsonSubTypes.Type(value = MdsQuery.Stat.class, name = "stat"),
        @JsonSubTypes.Type(value = MdsQuery.ListDir.class, name = "list"),
        @JsonSubTypes.Type(value = MdsQuery.FindSegment.class, name = "segment"),
        @JsonSubTypes.Type(value = MdsQuery.ListSegments.class, name = "segments"),
        @JsonSubTypes.Type(value = MdsQuery.ListSessions.class, name = "sessions"),
        @JsonSubTypes.Type(value = MdsQuery.GetEpoch.class, name = "epoch"),
        @JsonSubTypes.Type(value = MdsQuery.Counts.class, name = "counts"),
        @JsonSubTypes.Type(value = MdsQuery.StoredSessions.class, name = "storedSessions"),
        @JsonSubTypes.Type(value = MdsQuery.GarbageOf.class, name = "garbageOf"),
        @JsonSubTypes.Type(value = MdsQuery.ListMetaServers.class, name = "metaServers"),
        @JsonSubTypes.Type(value = MdsQuery.ListFs.class, name = "fsList"),
        @JsonSubTypes.Type(value = MdsQuery.GetFs.class, name = "fs"),
        @JsonSubTypes.Type(value = MdsQuery.PartitionsOf.class, name = "partitionsOf"),
        @JsonSubTypes.Type(value = MdsQuery.ListApiKeys.class, name = "apiKeys"),
        @JsonSubTypes.Type(value = MdsQuery.ListS3Keys.class, name = "s3Keys"),
        @JsonSubTypes.Type(value = MdsQuery.GetS3KeySecret.class, name = "s3KeySecret"),
        @JsonSubTypes.Type(value = MdsQuery.ReplicaDisk.class, name = "replicaDisk"),
})
public sealed interface MdsQuery {

    /** The whole topology. */
    record GetTopology() implements MdsQuery {
    }

    /** What applying a spec would change, without changing anything. */
    record PlanTopology(TopologySpec spec) implements MdsQuery {
    }

    /** Every chunk server. */
    record ListChunkServers() implements MdsQuery {
    }

    /** Every logical pool. */
    record ListPools() implements MdsQuery {
    }

    /** Copysets, of one logical pool or (pool null) of all, of one chunk server or (null) of any. */
    record ListCopysets(String pool, Long chunkServer) implements MdsQuery {
    }

    /** One namespace entry. */
    record Stat(String path) implements MdsQuery {
    }

    /** The children of a directory. */
    record ListDir(String path) implements MdsQuery {
    }

    /** The segment at offset if it is allocated; null otherwise. */
    record FindSegment(String path, long offset, Long volumeId, Long epoch) implements MdsQuery {
    }

    /** Allocated segments of a volume in offset order: at most limit, after the segment at offset after (or null). */
    record ListSegments(String path, Long after, int limit) implements MdsQuery {
    }

    /** Sessions of one volume, or (path null) of all, in id order: at most limit, after the session after (or null). */
    record ListSessions(String path, String after, int limit) implements MdsQuery {
    }

    /** A volume's newest epoch. */
    record GetEpoch(long volumeId) implements MdsQuery {
    }

    /** The disk id recorded for an MDS replica, or null. */
    record ReplicaDisk(String replica) implements MdsQuery {
    }

    /** Every stored API key (hashes included: the web layer leaves them out). */
    record ListApiKeys() implements MdsQuery {
    }

    /** Every S3 access key, without secrets: they leave the leader only when one is asked for by id. */
    record ListS3Keys() implements MdsQuery {
    }

    /** One S3 access key with its secret (the s3-proxy's read); NOT_FOUND if there is none with this id. */
    record GetS3KeySecret(String accessKey) implements MdsQuery {
    }

    /** Counts for the cluster status. */
    record Counts() implements MdsQuery {
    }

    /** Every stored session record as it is stored (versions included), for the leader's expiry. */
    record StoredSessions() implements MdsQuery {
    }

    /** At most limit chunks of deleted volumes on copysets the chunk server is a member of. */
    record GarbageOf(long chunkServerId, int limit) implements MdsQuery {
    }

    /** Every meta server. */
    record ListMetaServers() implements MdsQuery {
    }

    /** Every file system with its partitions. */
    record ListFs() implements MdsQuery {
    }

    /** One file system with its partitions. */
    record GetFs(String name) implements MdsQuery {
    }

    /** The partitions a meta server is a member of, of every file system. */
    record PartitionsOf(long metaServerId) implements MdsQuery {
    }
}
