package io.camber.common.api;

import java.util.List;

/**
 * Health of the cluster as the MDS that answers sees it.
 *
 * @param garbageChunks chunks of deleted volumes not yet deleted on their copysets (0 from an older MDS)
 */
public record ClusterStatus(String clusterId, String answeredBy, String leader, List<MdsPeer> mds,
                            int physicalPools, int logicalPools, int chunkServers, int copysets, long volumes,
                            long openSessions, long garbageChunks) {

    /** One MDS replica and its Raft role. */
    public record MdsPeer(String id, String raftAddress, String httpAddress, String role) {
    }
}
