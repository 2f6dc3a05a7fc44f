package io.camber.chunk.copyset;

import java.util.List;

/**
 * A copyset as the MDS describes it: its logical pool, id and members (chunk-server id and data
 * address each), which become the peers of its Ratis group.
 */
public record CopysetPeers(long logicalPoolId, int copysetId, List<Member> members) {

    /** One replica's chunk server. */
    public record Member(long chunkServerId, String address) {
    }

    /** The Raft peer id of a chunk server. */
    public static String peerId(long chunkServerId) {
        return "cs" + chunkServerId;
    }

    /** The chunk-server id behind a Raft peer id, or -1 if it is not one of ours. */
    public static long chunkServerId(String peerId) {
        if (peerId == null || !peerId.startsWith("cs")) {
            return -1;
        }
        try {
            return Long.parseLong(peerId.substring(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
