package io.camber.chunk.copyset;

import java.util.List;

/**
 * A copyset as the MDS describes it: its logical pool, id and members (chunk-server id and data
 * address each), which become the peers of its Ratis group.
 */
public record CopysetPeers(long logicalPoolId, int copysetId, List<Member> members, long epoch) {

    /** A copyset whose members never changed. */
    public CopysetPeers(long logicalPoolId, int copysetId, List<Member> members) {
        this(logicalPoolId, copysetId, members, 0);
    }

    /**
     * The Raft peers of the group: the member at the preferred leader's place gets a higher election priority
     * (the place rotates with the copyset id), so that leaders (and the write load they carry) spread over the chunk
     * servers instead of piling on one. A member that replaces another takes its place in the list, and with it its
     * priority; the MDS balances leaders by moving members to that place.
     */
    public List<org.apache.ratis.protocol.RaftPeer> raftPeers() {
        int preferred = io.camber.common.chunk.CopysetIds.preferredLeaderIndex(copysetId, members.size());
        List<org.apache.ratis.protocol.RaftPeer> peers = new java.util.ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            peers.add(org.apache.ratis.protocol.RaftPeer.newBuilder().setId(peerId(m.chunkServerId()))
                    .setAddress(m.address()).setPriority(i == preferred ? 1 : 0).build());
        }
        return peers;
    }

    /** The chunk server that should lead the group. */
    public long preferredLeader() {
        return members.get(io.camber.common.chunk.CopysetIds.preferredLeaderIndex(copysetId, members.size()))
                .chunkServerId();
    }

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
