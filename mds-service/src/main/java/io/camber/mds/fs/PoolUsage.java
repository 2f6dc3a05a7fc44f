package io.camber.mds.fs;

import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.mds.topology.Topology;

import java.util.List;
import java.util.Map;

/**
 * A logical pool's capacity and use as statfs of a file system on it reports them: the chunk servers of its
 * physical pool (retired ones aside), raw bytes divided by the replica count, since every byte is stored that many
 * times. Pure: the topology and the latest heartbeats in, two numbers out.
 *
 * @param capacityBytes usable bytes; -1 for an unknown pool
 * @param usedBytes     used bytes; -1 until every chunk server of the pool has reported its disk
 */
public record PoolUsage(long capacityBytes, long usedBytes) {
    public static final PoolUsage UNKNOWN = new PoolUsage(-1, -1);

    public static PoolUsage of(Topology t, long logicalPoolId, Map<Long, ChunkServerHeartbeat> latest) {
        Topology.LogicalPool pool = t.logicalPool(logicalPoolId).orElse(null);
        if (pool == null || pool.replicas() <= 0) {
            return UNKNOWN;
        }
        List<Topology.ChunkServer> servers = t.chunkServers().stream().filter(cs -> !cs.retired())
                .filter(cs -> t.zone(t.zoneOf(cs)).map(z -> z.physicalPoolId() == pool.physicalPoolId()).orElse(false))
                .toList();
        long capacity = servers.stream().mapToLong(Topology.ChunkServer::capacityBytes).sum();
        long used = 0;
        for (Topology.ChunkServer cs : servers) {
            ChunkServerHeartbeat hb = latest.get(cs.id());
            if (hb == null) {
                return new PoolUsage(capacity / pool.replicas(), -1);
            }
            used += hb.diskUsedBytes();
        }
        return new PoolUsage(capacity / pool.replicas(), servers.isEmpty() ? -1 : used / pool.replicas());
    }
}
