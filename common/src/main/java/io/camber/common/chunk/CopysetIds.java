package io.camber.common.chunk;

import java.util.UUID;

/** Maps a copyset (logical pool id, copyset id) to the id of its Ratis group and back. */
public final class CopysetIds {
    private CopysetIds() {
    }

    public static UUID groupUuid(long logicalPoolId, int copysetId) {
        return new UUID(logicalPoolId, copysetId);
    }

    public static long logicalPoolId(UUID group) {
        return group.getMostSignificantBits();
    }

    public static int copysetId(UUID group) {
        return (int) group.getLeastSignificantBits();
    }

    /**
     * The place in a copyset's member list whose chunk server gets the higher Raft election priority, so it leads
     * whenever it is up and caught up: rotating with the copyset id spreads leaders (and the writes they carry) over
     * the chunk servers. The MDS balances leaders by moving a member to this place; the chunk service sets the
     * priorities from it.
     */
    public static int preferredLeaderIndex(int copysetId, int members) {
        return Math.floorMod(copysetId, members);
    }
}
