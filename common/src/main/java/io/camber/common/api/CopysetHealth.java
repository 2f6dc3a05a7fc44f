package io.camber.common.api;

import java.util.List;

/**
 * One copyset as the chunk servers' heartbeats show it.
 *
 * @param state  HEALTHY (every member up, a leader), DEGRADED (a majority up with a leader, not all members),
 *               RECOVERING (a majority up with a leader, and a member the MDS chose to replace a lost one is
 *               catching up or being added to the Raft configuration), MOVING (counted healthy: a member is being
 *               replaced, for balance or a drain, while every replica of the current configuration is up) or
 *               UNAVAILABLE (no leader, or no majority up: IO
 *               to it stops)
 * @param leader the chunk server that reports leading it, or null
 */
public record CopysetHealth(long logicalPoolId, int copysetId, String state, Long leader, List<Member> members) {

    /**
     * One replica.
     *
     * @param state     the chunk server's liveness
     * @param reporting whether its heartbeats list this copyset
     * @param lag       log entries it has applied fewer than the leader, or null when unknown
     */
    public record Member(long chunkServerId, ChunkServerState state, boolean reporting, Long lag) {
    }
}
