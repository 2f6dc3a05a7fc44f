package io.camber.mds.topology;

import io.camber.common.api.ChunkServerInfo;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.CopysetInfo;
import io.camber.common.api.LogicalPoolInfo;
import io.camber.common.api.TopologyView;
import io.camber.mds.topology.Topology.ChunkServer;
import io.camber.mds.topology.Topology.Copyset;
import io.camber.mds.topology.Topology.LogicalPool;
import io.camber.mds.topology.placement.CopysetPlacer;
import io.camber.mds.topology.placement.ScatterStats;

import java.util.List;
import java.util.Map;

/** Turns the stored topology into the wire views of the admin API. */
public final class TopologyViews {
    private TopologyViews() {
    }

    public static TopologyView view(Topology t) {
        Map<Long, Integer> counts = t.copysetCounts();
        List<TopologyView.PhysicalPoolView> pools = t.physicalPools().stream().map(p -> new TopologyView.PhysicalPoolView(
                p.id(), p.name(), t.zones().stream().filter(z -> z.physicalPoolId() == p.id()).map(z ->
                        new TopologyView.ZoneView(z.id(), z.name(), t.servers().stream().filter(s -> s.zoneId() == z.id())
                                .map(s -> new TopologyView.ServerView(s.id(), s.name(), s.host(), t.chunkServers().stream()
                                        .filter(c -> c.serverId() == s.id()).map(c -> chunkServer(t, c, counts)).toList()))
                                .toList())).toList())).toList();
        return new TopologyView(pools, logicalPools(t));
    }

    public static ChunkServerInfo chunkServer(Topology t, ChunkServer c) {
        return chunkServer(t, c, t.copysetCounts());
    }

    private static ChunkServerInfo chunkServer(Topology t, ChunkServer c, Map<Long, Integer> counts) {
        Topology.Server server = t.server(c.serverId()).orElseThrow();
        Topology.Zone zone = t.zone(server.zoneId()).orElseThrow();
        String pool = t.physicalPool(zone.physicalPoolId()).map(Topology.PhysicalPool::name).orElse("?");
        return new ChunkServerInfo(c.id(), pool, zone.name(), server.name(), c.host(), c.port(), c.dataPort(), c.diskPath(),
                c.capacityBytes(), c.retired() ? ChunkServerState.RETIRED : c.state(), counts.getOrDefault(c.id(), 0),
                c.draining(), null);
    }

    public static List<ChunkServerInfo> chunkServers(Topology t) {
        Map<Long, Integer> counts = t.copysetCounts();
        return t.chunkServers().stream().map(c -> chunkServer(t, c, counts)).toList();
    }

    public static List<LogicalPoolInfo> logicalPools(Topology t) {
        return t.logicalPools().stream().map(p -> logicalPool(t, p)).toList();
    }

    private static LogicalPoolInfo logicalPool(Topology t, LogicalPool p) {
        List<Copyset> copysets = t.copysetsOf(p.id());
        List<Long> members = t.chunkServers().stream().filter(c -> t.physicalPoolOf(c) == p.physicalPoolId())
                .map(ChunkServer::id).toList();
        ScatterStats scatter = CopysetPlacer.scatter(copysets.stream().map(Copyset::members).toList(), members);
        String physical = t.physicalPool(p.physicalPoolId()).map(Topology.PhysicalPool::name).orElse("?");
        return new LogicalPoolInfo(p.id(), p.name(), physical, p.type(), p.replicas(), p.chunkSize(), p.segmentSize(),
                copysets.size(), scatter.min(), scatter.avg());
    }

    /** Copysets of one logical pool (or all) that include one chunk server (or any), in id order. */
    public static List<CopysetInfo> copysets(Topology t, Long logicalPoolId, Long chunkServerId) {
        Map<Long, String> addresses = new java.util.HashMap<>();
        Map<Long, String> dataAddresses = new java.util.HashMap<>();
        t.chunkServers().forEach(c -> addresses.put(c.id(), c.host() + ":" + c.port()));
        // a retired chunk server's address now belongs to its successor, which holds none of its replicas:
        // clients skip a member without a data address instead of asking the wrong server
        t.chunkServers().stream().filter(c -> c.dataPort() > 0 && !c.retired())
                .forEach(c -> dataAddresses.put(c.id(), c.host() + ":" + c.dataPort()));
        return t.copysets().values().stream().flatMap(List::stream)
                .filter(c -> logicalPoolId == null || c.logicalPoolId() == logicalPoolId)
                .filter(c -> chunkServerId == null || c.members().contains(chunkServerId))
                .sorted((a, b) -> a.logicalPoolId() != b.logicalPoolId()
                        ? Long.compare(a.logicalPoolId(), b.logicalPoolId()) : Integer.compare(a.id(), b.id()))
                .map(c -> new CopysetInfo(c.logicalPoolId(), c.id(), c.members(),
                        c.members().stream().map(addresses::get).toList(),
                        c.members().stream().map(dataAddresses::get).collect(java.util.stream.Collectors.toList()),
                        t.logicalPool(c.logicalPoolId()).map(LogicalPool::chunkSize).orElse(0L), c.epoch()))
                .toList();
    }
}
