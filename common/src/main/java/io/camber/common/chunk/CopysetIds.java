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
}
