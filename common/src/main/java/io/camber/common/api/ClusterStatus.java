package io.camber.common.api;

import java.util.List;

/**
 * The cluster as the MDS that answers sees it: its verdict first ({@link ClusterHealth} explains the fields it
 * shares), then the MDS group and what the cluster holds.
 *
 * @param garbageChunks chunks of deleted volumes not yet deleted on their copysets (0 from an older MDS)
 */
public record ClusterStatus(String health, List<String> reasons, String clusterId, String answeredBy, String leader,
                           List<MdsPeer> mds, int physicalPools, int logicalPools, int chunkServers,
                           int chunkServersUp, int copysets, int copysetsHealthy, int copysetsDegraded,
                           int copysetsUnavailable, long capacityBytes, int fullestDiskPercent, long volumes,
                           long openSessions, long garbageChunks, Integer copysetsMoving) {

    /** One MDS replica and its Raft role. */
    public record MdsPeer(String id, String raftAddress, String httpAddress, String role) {
    }
}
