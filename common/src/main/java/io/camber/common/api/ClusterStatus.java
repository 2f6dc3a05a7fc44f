package io.camber.common.api;

import java.util.List;

/** Health of the cluster as the MDS that answers sees it. */
public record ClusterStatus(String clusterId, String answeredBy, String leader, List<MdsPeer> mds,
                            int physicalPools, int logicalPools, int chunkServers, int copysets, long volumes,
                            long openSessions) {

    /** One MDS replica and its Raft role. */
    public record MdsPeer(String id, String raftAddress, String httpAddress, String role) {
    }
}
