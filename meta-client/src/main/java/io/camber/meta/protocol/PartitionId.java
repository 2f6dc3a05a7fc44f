package io.camber.meta.protocol;

import org.apache.ratis.protocol.RaftGroupId;

import java.util.UUID;

/**
 * Names one partition of one file system; its Raft group id is derived from it (and back), so a restarted server
 * knows which partition each group on disk is without a catalogue of its own.
 */
public record PartitionId(long fsId, int partitionId) {
    /** "META" in the low half of the group id keeps partition groups apart from copyset groups in logs. */
    private static final long MARKER = 0x4d455441L << 32;

    public PartitionId {
        if (fsId < 0 || partitionId < 0) {
            throw new IllegalArgumentException("fs id " + fsId + " and partition id " + partitionId
                    + " must be 0 or more");
        }
    }

    public RaftGroupId groupId() {
        return RaftGroupId.valueOf(new UUID(fsId, MARKER | (partitionId & 0xffffffffL)));
    }

    /** The partition a group id names, or null for a group that is not a partition. */
    public static PartitionId of(RaftGroupId gid) {
        UUID uuid = gid.getUuid();
        if ((uuid.getLeastSignificantBits() & 0xffffffff00000000L) != MARKER) {
            return null;
        }
        return new PartitionId(uuid.getMostSignificantBits(), (int) uuid.getLeastSignificantBits());
    }

    /** Folder name of the partition's state under the server's data directory. */
    public String dirName() {
        return fsId + "-" + partitionId;
    }

    @Override
    public String toString() {
        return "fs" + fsId + "/p" + partitionId;
    }
}
