package io.camber.mds.topology;

import io.camber.common.ByteSizes;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.ChunkServerRegistration;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.LogicalPoolType;
import io.camber.common.api.MetaServerRegistration;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import io.camber.common.api.TopologySpec.PhysicalPoolSpec;
import io.camber.common.api.TopologySpec.ServerSpec;
import io.camber.common.api.TopologySpec.ZoneSpec;
import io.camber.mds.topology.Topology.ChunkServer;
import io.camber.mds.topology.Topology.MetaServer;
import io.camber.mds.topology.Topology.PhysicalPool;
import io.camber.mds.topology.Topology.Server;
import io.camber.mds.topology.Topology.Zone;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Turns a declared topology into the next topology and the list of changes, refusing anything that
 * would lose data. Pure: the same topology and spec always give the same plan.
 */
public final class TopologyPlanner {
    /** Default capacity recorded for a chunk server declared without one. */
    static final long DEFAULT_CAPACITY = 100 * ByteSizes.GIB;

    private TopologyPlanner() {
    }

    /** The outcome of planning: the next topology and a human-readable line per change. */
    public record Plan(Topology next, List<String> changes) {
    }

    /** Plans applying spec to current; poolInUse tells whether volumes still allocate from a logical pool. */
    public static Plan plan(Topology current, TopologySpec spec, LongPredicate poolInUse) {
        if (spec == null || spec.physicalPools() == null) {
            throw CamberException.invalid("topology has no physicalPools: declare at least one pool with zones");
        }
        Topology.Draft draft = current.draft();
        List<String> changes = new ArrayList<>();
        Set<Long> declared = new HashSet<>();
        Set<String> poolNames = new HashSet<>();
        for (PhysicalPoolSpec pool : spec.physicalPools()) {
            requireName(pool.name(), "physical pool");
            if (!poolNames.add(pool.name())) {
                throw CamberException.invalid("physical pool '" + pool.name() + "' is declared twice");
            }
            declarePool(draft, pool, declared, changes);
        }
        removeUndeclared(draft, declared, changes);
        LogicalPoolPlanner.plan(draft, spec.logicalPools() == null ? List.of() : spec.logicalPools(), poolInUse, changes);
        return new Plan(draft.build(), changes);
    }

    private static void declarePool(Topology.Draft d, PhysicalPoolSpec spec, Set<Long> declared, List<String> changes) {
        PhysicalPool pool = d.physicalPools.stream().filter(p -> p.name().equals(spec.name())).findFirst().orElse(null);
        if (pool == null) {
            pool = new PhysicalPool(d.newId(), spec.name());
            d.physicalPools.add(pool);
            changes.add("add physical pool " + spec.name());
        }
        declared.add(pool.id());
        Set<String> zoneNames = new HashSet<>();
        for (ZoneSpec zs : Objects.requireNonNullElse(spec.zones(), List.<ZoneSpec>of())) {
            requireName(zs.name(), "zone");
            if (!zoneNames.add(zs.name())) {
                throw CamberException.invalid("zone '" + zs.name() + "' is declared twice in pool " + spec.name());
            }
            long poolId = pool.id();
            Zone zone = d.zones.stream().filter(z -> z.physicalPoolId() == poolId && z.name().equals(zs.name()))
                    .findFirst().orElse(null);
            if (zone == null) {
                zone = new Zone(d.newId(), zs.name(), poolId);
                d.zones.add(zone);
                changes.add("add zone " + spec.name() + "/" + zs.name());
            }
            declared.add(zone.id());
            for (ServerSpec ss : Objects.requireNonNullElse(zs.servers(), List.<ServerSpec>of())) {
                declareServer(d, zone, ss, declared, changes);
            }
        }
    }

    private static void declareServer(Topology.Draft d, Zone zone, ServerSpec spec, Set<Long> declared,
                                      List<String> changes) {
        requireName(spec.name(), "server");
        requireName(spec.host(), "server host");
        Server server = d.servers.stream().filter(s -> s.name().equals(spec.name())).findFirst().orElse(null);
        if (server != null && declared.contains(server.id())) {
            throw CamberException.invalid("server '" + spec.name() + "' is declared twice");
        }
        if (server != null && server.zoneId() != zone.id()) {
            throw new CamberException(ErrorCode.CONFLICT, "server '" + spec.name() + "' already sits in another zone:"
                    + " moving a server between zones is not supported; remove it first");
        }
        if (server == null) {
            server = new Server(d.newId(), spec.name(), spec.host(), zone.id());
            d.servers.add(server);
            changes.add("add server " + spec.name() + " (" + spec.host() + ")");
        } else if (!server.host().equals(spec.host())) {
            server = moveHost(d, server, spec.host(), changes);
        }
        declared.add(server.id());
        for (ChunkServerSpec cs : Objects.requireNonNullElse(spec.chunkServers(), List.<ChunkServerSpec>of())) {
            long capacity = cs.capacity() == null ? DEFAULT_CAPACITY : ByteSizes.parse(cs.capacity());
            ChunkServer added = upsertChunkServer(d, server, cs.port(), null, cs.disk(), capacity, changes);
            declared.add(added.id());
        }
    }

    /** Gives a server a new address; its chunk servers move with it and keep their ids. */
    private static Server moveHost(Topology.Draft d, Server server, String host, List<String> changes) {
        Server moved = new Server(server.id(), server.name(), host, server.zoneId());
        d.servers.set(d.servers.indexOf(server), moved);
        for (int i = 0; i < d.chunkServers.size(); i++) {
            ChunkServer c = d.chunkServers.get(i);
            if (c.serverId() == server.id()) {
                d.chunkServers.set(i, c.withHost(host));
            }
        }
        for (int i = 0; i < d.metaServers.size(); i++) {
            MetaServer m = d.metaServers.get(i);
            if (m.serverId() == server.id()) {
                d.metaServers.set(i, new MetaServer(m.id(), m.serverId(), host, m.raftPort(), m.httpPort(), m.peerId()));
            }
        }
        changes.add("change host of server " + server.name() + " to " + host);
        return moved;
    }

    /** Registers a chunk server under an existing physical pool, creating its zone and server as needed. */
    public static Plan register(Topology current, ChunkServerRegistration reg) {
        Topology.Draft d = current.draft();
        List<String> changes = new ArrayList<>();
        Server server = zoneAndServer(current, d, reg.physicalPool(), reg.zone(), reg.server(), reg.host(), changes,
                "chunk server");
        if (reg.diskId() != null) {
            DiskIdentity.check(d, reg, changes);
        }
        ChunkServer cs = upsertChunkServer(d, server, reg.port(), reg.dataPort(), reg.diskPath(), reg.capacityBytes(),
                changes);
        if (reg.diskId() != null && !reg.diskId().equals(cs.diskId())) {
            d.chunkServers.set(d.chunkServers.indexOf(cs), cs.withDiskId(reg.diskId()));
            changes.add("record disk " + reg.diskId() + " of chunk server " + cs.id());
        }
        return new Plan(d.build(), changes);
    }

    /**
     * Registers a meta-service under an existing physical pool, creating its zone and server as needed. A known
     * host:raftPort keeps its id; a peer id already taken by another meta-service is refused, since two members of
     * one partition group must never share a peer id.
     */
    public static Plan registerMetaServer(Topology current, MetaServerRegistration reg) {
        requireName(reg.peerId(), "meta server peer id");
        checkPort(reg.raftPort(), "meta server Raft port");
        checkPort(reg.httpPort(), "meta server HTTP port");
        Topology.Draft d = current.draft();
        List<String> changes = new ArrayList<>();
        Server server = zoneAndServer(current, d, reg.physicalPool(), reg.zone(), reg.server(), reg.host(), changes,
                "meta server");
        MetaServer existing = current.metaServer(reg.host(), reg.raftPort()).orElse(null);
        current.metaServers().stream()
                .filter(m -> m.peerId().equals(reg.peerId()) && (existing == null || m.id() != existing.id()))
                .findFirst().ifPresent(m -> {
                    throw new CamberException(ErrorCode.CONFLICT, "meta server peer id '" + reg.peerId()
                            + "' is taken by " + m.host() + ":" + m.raftPort() + ": give each meta-service its own"
                            + " camber.meta.node-id");
                });
        if (existing == null) {
            d.metaServers.add(new MetaServer(d.newId(), server.id(), reg.host(), reg.raftPort(), reg.httpPort(),
                    reg.peerId()));
            changes.add("add meta server " + reg.host() + ":" + reg.raftPort() + " (" + reg.peerId() + ")");
        } else if (existing.serverId() != server.id()) {
            throw new CamberException(ErrorCode.CONFLICT, "meta server " + reg.host() + ":" + reg.raftPort()
                    + " belongs to another server: give each meta-service a unique host:port");
        } else if (existing.httpPort() != reg.httpPort() || !existing.peerId().equals(reg.peerId())) {
            if (!existing.peerId().equals(reg.peerId())) {
                // Its partition groups know it by the old peer id: a new one would make it a stranger to them.
                throw new CamberException(ErrorCode.CONFLICT, "meta server " + reg.host() + ":" + reg.raftPort()
                        + " is registered as peer '" + existing.peerId() + "', not '" + reg.peerId()
                        + "': start it with camber.meta.node-id=" + existing.peerId());
            }
            d.metaServers.set(d.metaServers.indexOf(existing), new MetaServer(existing.id(), existing.serverId(),
                    existing.host(), existing.raftPort(), reg.httpPort(), existing.peerId()));
            changes.add("update meta server " + reg.host() + ":" + reg.raftPort() + " (HTTP port " + reg.httpPort()
                    + ")");
        }
        return new Plan(d.build(), changes);
    }

    /** The server a registering process sits on, adding its zone and server to the draft when new. */
    private static Server zoneAndServer(Topology current, Topology.Draft d, String poolName, String zoneName,
                                        String serverName, String host, List<String> changes, String what) {
        requireName(poolName, "physical pool");
        requireName(zoneName, "zone");
        requireName(serverName, "server");
        requireName(host, "host");
        PhysicalPool pool = current.physicalPool(poolName).orElseThrow(() -> CamberException.notFound(
                "physical pool '" + poolName + "' does not exist: apply a topology first (camber topology apply)"));
        Zone zone = current.zone(pool.id(), zoneName).orElse(null);
        if (zone == null) {
            zone = new Zone(d.newId(), zoneName, pool.id());
            d.zones.add(zone);
            changes.add("add zone " + pool.name() + "/" + zoneName);
        }
        Server server = current.server(serverName).orElse(null);
        if (server == null) {
            server = new Server(d.newId(), serverName, host, zone.id());
            d.servers.add(server);
            changes.add("add server " + serverName);
        } else if (server.zoneId() != zone.id()) {
            throw new CamberException(ErrorCode.CONFLICT, "server '" + serverName + "' is in another zone than '"
                    + zoneName + "': fix the " + what + "'s zone setting");
        } else if (!server.host().equals(host)) {
            throw new CamberException(ErrorCode.CONFLICT, "server '" + serverName + "' is at host " + server.host()
                    + ", not " + host + ": fix the " + what + "'s host setting, or change the server's host"
                    + " in the topology file first");
        }
        return server;
    }

    private static void checkPort(int port, String what) {
        if (port <= 0 || port > 65535) {
            throw CamberException.invalid(what + " " + port + " is not a TCP port");
        }
    }

    /** dataPort: null when the caller does not know it (a topology file), which keeps the registered one. */
    private static ChunkServer upsertChunkServer(Topology.Draft d, Server server, int port, Integer dataPort,
                                                 String disk, long capacity, List<String> changes) {
        if (port <= 0 || port > 65535) {
            throw CamberException.invalid("chunk server port " + port + " on " + server.name() + " is not a TCP port");
        }
        if (dataPort != null && (dataPort < 0 || dataPort > 65535)) {
            throw CamberException.invalid("chunk server data port " + dataPort + " on " + server.name()
                    + " is not a TCP port");
        }
        requireName(disk, "chunk server disk");
        if (capacity <= 0) {
            throw CamberException.invalid("chunk server capacity must be positive, e.g. 100GiB");
        }
        ChunkServer existing = d.liveChunkServer(server.host(), port).orElse(null);
        if (existing == null) {
            ChunkServer cs = new ChunkServer(d.newId(), server.id(), server.host(), port,
                    dataPort == null ? 0 : dataPort, disk, capacity, ChunkServerState.REGISTERED);
            d.chunkServers.add(cs);
            changes.add("add chunk server " + server.host() + ":" + port + " (" + disk + ")");
            return cs;
        }
        if (existing.serverId() != server.id()) {
            throw new CamberException(ErrorCode.CONFLICT, "chunk server " + server.host() + ":" + port
                    + " belongs to another server: give each chunk server a unique host:port");
        }
        int data = dataPort == null ? existing.dataPort() : dataPort;
        if (!existing.diskPath().equals(disk) || existing.capacityBytes() != capacity || existing.dataPort() != data) {
            ChunkServer updated = new ChunkServer(existing.id(), existing.serverId(), existing.host(), port, data, disk,
                    capacity, existing.state(), existing.diskId(), false, existing.draining());
            d.chunkServers.set(d.chunkServers.indexOf(existing), updated);
            changes.add("update chunk server " + server.host() + ":" + port + " (" + disk + ", "
                    + ByteSizes.format(capacity) + ")");
            return updated;
        }
        return existing;
    }

    private static void removeUndeclared(Topology.Draft d, Set<Long> declared, List<String> changes) {
        Set<Long> busy = new HashSet<>();
        d.copysets.values().forEach(list -> list.forEach(c -> busy.addAll(c.members())));
        List<String> refused = new ArrayList<>();
        for (ChunkServer cs : List.copyOf(d.chunkServers)) {
            if (cs.retired() && busy.contains(cs.id())) {
                continue; // its address is declared for its successor; it leaves once recovery replaced it
            }
            if (!declared.contains(cs.id())) {
                if (busy.contains(cs.id())) {
                    refused.add(cs.host() + ":" + cs.port() + " (id " + cs.id() + ")");
                } else {
                    d.chunkServers.remove(cs);
                    changes.add("remove chunk server " + cs.host() + ":" + cs.port());
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new CamberException(ErrorCode.DATA_LOSS_REFUSED, "refusing to remove chunk servers that still hold"
                    + " copysets: " + String.join(", ", refused) + "; migrate their copysets first or keep them in the file");
        }
        Set<Long> liveServers = new HashSet<>();
        d.chunkServers.forEach(c -> liveServers.add(c.serverId()));
        // Meta-services register themselves and are not declared in topology files: their servers stay.
        d.metaServers.forEach(m -> liveServers.add(m.serverId()));
        for (Server s : List.copyOf(d.servers)) {
            if (!declared.contains(s.id()) && !liveServers.contains(s.id())) {
                d.servers.remove(s);
                changes.add("remove server " + s.name());
            }
        }
        Set<Long> liveZones = new HashSet<>();
        d.servers.forEach(s -> liveZones.add(s.zoneId()));
        for (Zone z : List.copyOf(d.zones)) {
            if (!declared.contains(z.id()) && !liveZones.contains(z.id())) {
                d.zones.remove(z);
                changes.add("remove zone " + z.name());
            }
        }
        removeUndeclaredPools(d, declared, changes);
    }

    private static void removeUndeclaredPools(Topology.Draft d, Set<Long> declared, List<String> changes) {
        Set<Long> livePools = new HashSet<>();
        d.zones.forEach(z -> livePools.add(z.physicalPoolId()));
        for (PhysicalPool p : List.copyOf(d.physicalPools)) {
            if (!declared.contains(p.id()) && !livePools.contains(p.id())) {
                d.physicalPools.remove(p);
                changes.add("remove physical pool " + p.name());
            }
        }
    }

    static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw CamberException.invalid(what + " name is missing");
        }
        if (name.length() > 255 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw CamberException.invalid(what + " name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' is longer than 255 characters or holds control characters");
        }
    }

    static LogicalPoolType typeOf(LogicalPoolSpec spec) {
        return spec.type() == null ? LogicalPoolType.REPLICATED : spec.type();
    }
}
