package io.camber.mds.fs;

import io.camber.common.api.ChunkServerState;
import io.camber.common.api.FsInfo;
import io.camber.common.api.MetaServerInfo;
import io.camber.common.api.PartitionInfo;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.Topology.MetaServer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored file systems, partitions and meta servers into the wire views of the admin API. What only
 * heartbeats know (leaders, usage, liveness) is left unknown here and filled in by {@link MetaHeartbeats}.
 */
public final class FsViews {
    private FsViews() {
    }

    public static FsInfo info(FileSystem fs, List<MetaPartition> partitions, Topology t) {
        String pool = t.logicalPool(fs.logicalPoolId()).map(Topology.LogicalPool::name).orElse("?");
        return new FsInfo(fs.id(), fs.name(), pool, fs.createdAtMillis(), -1,
                partitions.stream().map(p -> partition(p, t)).toList(), fs.dataVolume(), -1, -1);
    }

    public static PartitionInfo partition(MetaPartition p, Topology t) {
        List<MetaServer> members = p.members().stream().map(id -> t.metaServer(id).orElse(null)).toList();
        return new PartitionInfo(p.fsId(), p.partitionId(), p.start(), p.end(), p.members(),
                members.stream().map(m -> m == null ? null : m.peerId()).toList(),
                members.stream().map(m -> m == null ? null : m.host() + ":" + m.raftPort()).toList(),
                null, -1, -1);
    }

    public static List<MetaServerInfo> metaServers(Topology t, List<MetaPartition> partitions) {
        Map<Long, Integer> counts = new HashMap<>();
        partitions.forEach(p -> p.members().forEach(m -> counts.merge(m, 1, Integer::sum)));
        return t.metaServers().stream().map(m -> metaServer(t, m, counts.getOrDefault(m.id(), 0))).toList();
    }

    public static MetaServerInfo metaServer(Topology t, MetaServer m, int partitions) {
        Topology.Server server = t.server(m.serverId()).orElseThrow();
        Topology.Zone zone = t.zone(server.zoneId()).orElseThrow();
        String pool = t.physicalPool(zone.physicalPoolId()).map(Topology.PhysicalPool::name).orElse("?");
        return new MetaServerInfo(m.id(), pool, zone.name(), server.name(), m.host(), m.raftPort(), m.httpPort(),
                m.peerId(), ChunkServerState.REGISTERED, partitions);
    }
}
