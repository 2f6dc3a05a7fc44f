package io.camber.mds.raft;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.camber.common.api.ChunkServerRegistration;
import io.camber.common.api.MetaServerRegistration;
import io.camber.common.api.OpenMode;
import io.camber.common.api.TopologySpec;
import io.camber.mds.session.SessionTable;

import java.util.List;

/**
 * Every change to MDS state, as it travels through the Raft log. Anything that must be the same on
 * every replica (the time, new session ids) is decided once by the member that proposes the command.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MdsCommand.ApplyTopology.class, name = "applyTopology"),
        @JsonSubTypes.Type(value = MdsCommand.RegisterChunkServer.class, name = "registerChunkServer"),
        @JsonSubTypes.Type(value = MdsCommand.Mkdir.class, name = "mkdir"),
        @JsonSubTypes.Type(value = MdsCommand.CreateVolume.class, name = "createVolume"),
        @JsonSubTypes.Type(value = MdsCommand.ExtendVolume.class, name = "extendVolume"),
        @JsonSubTypes.Type(value = MdsCommand.Rename.class, name = "rename"),
        @JsonSubTypes.Type(value = MdsCommand.ForgetGarbage.class, name = "forgetGarbage"),
        @JsonSubTypes.Type(value = MdsCommand.Delete.class, name = "delete"),
        @JsonSubTypes.Type(value = MdsCommand.AllocateSegment.class, name = "allocateSegment"),
        @JsonSubTypes.Type(value = MdsCommand.OpenSession.class, name = "openSession"),
        @JsonSubTypes.Type(value = MdsCommand.RenewSession.class, name = "renewSession"),
        @JsonSubTypes.Type(value = MdsCommand.CloseSession.class, name = "closeSession"),
        @JsonSubTypes.Type(value = MdsCommand.ResumeSession.class, name = "resumeSession"),
        @JsonSubTypes.Type(value = MdsCommand.ExpireSessions.class, name = "expireSessions"),
        @JsonSubTypes.Type(value = MdsCommand.RegisterMetaServer.class, name = "registerMetaServer"),
        @JsonSubTypes.Type(value = MdsCommand.CreateFs.class, name = "createFs"),
        @JsonSubTypes.Type(value = MdsCommand.DeleteFs.class, name = "deleteFs"),
        @JsonSubTypes.Type(value = MdsCommand.AddFsPartition.class, name = "addFsPartition"),
        @JsonSubTypes.Type(value = MdsCommand.CreateApiKey.class, name = "createApiKey"),
        @JsonSubTypes.Type(value = MdsCommand.DeleteApiKey.class, name = "deleteApiKey"),
        @JsonSubTypes.Type(value = MdsCommand.InstallSigningKey.class, name = "installSigningKey"),
        @JsonSubTypes.Type(value = MdsCommand.CreateS3Key.class, name = "createS3Key"),
        @JsonSubTypes.Type(value = MdsCommand.DeleteS3Key.class, name = "deleteS3Key"),
        @JsonSubTypes.Type(value = MdsCommand.ReplaceCopysetMember.class, name = "replaceCopysetMember"),
        @JsonSubTypes.Type(value = MdsCommand.PreferCopysetLeader.class, name = "preferCopysetLeader"),
        @JsonSubTypes.Type(value = MdsCommand.DrainChunkServer.class, name = "drainChunkServer"),
        @JsonSubTypes.Type(value = MdsCommand.RemoveChunkServer.class, name = "removeChunkServer"),
        @JsonSubTypes.Type(value = MdsCommand.RecordReplicaDisk.class, name = "recordReplicaDisk"),
        @JsonSubTypes.Type(value = MdsCommand.ForgetReplicaDisk.class, name = "forgetReplicaDisk"),
})
public sealed interface MdsCommand {

    /** Makes the topology match the spec. */
    record ApplyTopology(TopologySpec spec) implements MdsCommand {
    }

    /** A chunk server announces itself; it keeps its id when it comes back. */
    record RegisterChunkServer(ChunkServerRegistration registration) implements MdsCommand {
    }

    /** Creates a directory. */
    record Mkdir(String path, String owner, long nowMillis) implements MdsCommand {
    }

    /** Creates a volume. */
    record CreateVolume(String path, long size, String pool, String owner, long nowMillis) implements MdsCommand {
    }

    /** Grows a volume. */
    record ExtendVolume(String path, long size) implements MdsCommand {
    }

    /**
     * Moves an entry; a volume with a live read-write session is refused. nowMillis is
     * {@link SessionTable#LEASES_BY_LEADER} (every stored session is live) since the leader decides expiry; a
     * wall-clock time in older entries, and null in entries logged before the check existed, which replay so.
     */
    record Rename(String from, String to, Long nowMillis) implements MdsCommand {
    }

    /**
     * Deletes a volume or an empty directory; nowMillis as in {@link Rename}. collectGarbage is true in commands
     * proposed since deleted volumes' chunks are freed (their chunks are recorded as garbage in the same batch);
     * null in older entries, which replay as they were applied.
     */
    record Delete(String path, long nowMillis, Boolean collectGarbage) implements MdsCommand {
    }

    /** Forgets garbage chunks that their copysets' leaders report deleted. */
    record ForgetGarbage(List<io.camber.common.api.ChunkGarbage> deleted) implements MdsCommand {
    }

    /**
     * Returns the segment holding offset, allocating it if this is the first touch. An open volume names itself by
     * volumeId, so a path renamed or re-created meanwhile can never lead it to another volume; path is used only
     * when volumeId is null (entries logged before volume ids were sent). A writer's epoch older than the volume's
     * is refused with FENCED; null (readers, older entries) skips the check.
     */
    record AllocateSegment(String path, long offset, Long volumeId, Long epoch) implements MdsCommand {
    }

    /** Opens a session; read-write bumps the epoch. */
    record OpenSession(String path, OpenMode mode, String client, String uuid, long nowMillis, long leaseMillis)
            implements MdsCommand {
    }

    /**
     * Extends a session's lease. leasesByLeader is true in commands proposed since the leader decides expiry on its
     * monotonic clock: then nowMillis only dates the record. Null in older entries, which replay by nowMillis.
     */
    record RenewSession(String sessionId, long nowMillis, Boolean leasesByLeader) implements MdsCommand {
        public boolean byWallClock() {
            return !Boolean.TRUE.equals(leasesByLeader);
        }
    }

    /** Takes back an expired session with its epoch, if no writer opened the volume since. */
    record ResumeSession(String sessionId, OpenMode mode, long epoch, String client, long nowMillis,
                         long leaseMillis, Boolean leasesByLeader) implements MdsCommand {
        public boolean byWallClock() {
            return !Boolean.TRUE.equals(leasesByLeader);
        }
    }

    /** Ends a session. */
    record CloseSession(String sessionId) implements MdsCommand {
    }

    /** Stores an API key (its hash; the proposer generated it). */
    record CreateApiKey(io.camber.mds.auth.ApiKeyRecord key) implements MdsCommand {
    }

    /** Removes an API key; NOT_FOUND if there is none with this id. */
    record DeleteApiKey(String id) implements MdsCommand {
    }

    /** Stores an S3 access key with its secret (the proposer generated both); ALREADY_EXISTS for a taken id. */
    record CreateS3Key(io.camber.mds.s3.S3KeyRecord key) implements MdsCommand {
    }

    /** Removes an S3 access key; NOT_FOUND if there is none with this id. */
    record DeleteS3Key(String accessKey) implements MdsCommand {
    }

    /**
     * Adds the first data-token signing key. Every replica proposes one at start while it sees none; only the first
     * applied is kept (onlyIfNone), so all replicas end with the same key.
     */
    record InstallSigningKey(io.camber.mds.auth.SigningKeyRecord key, boolean onlyIfNone) implements MdsCommand {
    }

    /**
     * Drops sessions: those the leader found unrenewed for a whole lease on its monotonic clock (overdue), or, in
     * entries logged before that (overdue null), those whose lease ran out before nowMillis.
     */
    record ExpireSessions(long nowMillis, List<SessionTable.Overdue> overdue) implements MdsCommand {
    }

    /** A meta-service announces itself; it keeps its id when it comes back at the same host:port. */
    record RegisterMetaServer(MetaServerRegistration registration) implements MdsCommand {
    }

    /**
     * Creates a file system and places its first partitions. inodesPerPartition travels in the command so a later
     * change of the default never changes what a replayed entry does; so do the meta servers the proposer saw
     * OFFLINE, which get no replica (null: none). dataVolume is true in commands proposed since file systems have a
     * data volume (created in the same batch); null in older entries, which replay without one.
     */
    record CreateFs(String name, String pool, int partitions, long inodesPerPartition, long nowMillis,
                    List<Long> offline, Boolean dataVolume) implements MdsCommand {
    }

    /**
     * Deletes a file system and its data volume, if it has one. inodesUsed is what the proposer last heard from the
     * meta-services (null: not every partition reported), so every replica decides the same. refuseMounted: refuse
     * (without force) while clients hold sessions on its data volume; null in commands logged before that rule, which
     * replay as they were decided then.
     */
    record DeleteFs(String name, boolean force, Long inodesUsed, Boolean refuseMounted) implements MdsCommand {
    }

    /** Adds a partition to a file system whose partition fullPartition ran out of inode ids; offline as above. */
    record AddFsPartition(String name, int fullPartition, long inodesPerPartition, List<Long> offline)
            implements MdsCommand {
    }

    /**
     * Replaces member from of a copyset by chunk server to, if the copyset is still at epoch; why says what asked for
     * it (the recover scheduler, an operator), for the log.
     */
    record ReplaceCopysetMember(long logicalPoolId, int copysetId, long epoch, long from, long to, String why)
            implements MdsCommand {
    }

    /**
     * Makes member the copyset's preferred leader (the higher Raft election priority), if the copyset is still at
     * epoch; the leader balancer asks for it, why says so in the log.
     */
    record PreferCopysetLeader(long logicalPoolId, int copysetId, long epoch, long member, String why)
            implements MdsCommand {
    }

    /** Starts (drain) or cancels moving every replica off a chunk server. */
    record DrainChunkServer(long chunkServerId, boolean drain) implements MdsCommand {
    }

    /** Removes a chunk server that is a member of no copyset. */
    record RemoveChunkServer(long chunkServerId) implements MdsCommand {
    }

    /** Records the data directory (disk id) an MDS replica runs on, so a wiped one is known at its next start. */
    record RecordReplicaDisk(String replica, String diskId) implements MdsCommand {
    }

    /** Forgets an MDS replica's disk once it left the group: it may join again on an empty one. */
    record ForgetReplicaDisk(String replica) implements MdsCommand {
    }
}
