package io.camber.common.api;

import java.util.List;

/**
 * The cluster at a glance, in the manner of {@code ceph -s}.
 *
 * @param health              HEALTH_OK, HEALTH_WARN (redundancy or headroom reduced, IO goes on) or HEALTH_ERR (some
 *                            data cannot be reached)
 * @param reasons             why it is not HEALTH_OK, one line each, worst first
 * @param fullestDiskPercent  the highest disk use any chunk server reports, in percent
 * @param garbageChunks       chunks of deleted volumes still to be freed
 * @param copysetsMoving      of the healthy copysets, those a replica is being moved off with every replica up
 *                            (balance, drain); null from MDS versions before balancing
 */
public record ClusterHealth(String health, List<String> reasons, int chunkServersUp, int chunkServers,
                            int copysetsHealthy, int copysetsDegraded, int copysetsUnavailable,
                            long capacityBytes, int fullestDiskPercent, long garbageChunks, Integer copysetsMoving) {
}
