package io.camber.mds.topology;

import io.camber.common.api.ChunkServerState;
import io.camber.common.api.LogicalPoolType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's physical and logical layout, immutable: every change builds a new instance, so
 * readers never see a half-applied change.
 */
public record Topology(long nextId, List<PhysicalPool> physicalPools, List<Zone> zones, List<Server> servers,
                       List<ChunkServer> chunkServers, List<LogicalPool> logicalPools,
                       Map<Long, List<Copyset>> copysets, List<MetaServer> metaServers) {

    public Topology {
        // Documents stored before meta-services registered have no list.
        metaServers = metaServers == null ? List.of() : metaServers;
    }

    /** A topology without meta-services, as versions before them built it. */
    public Topology(long nextId, List<PhysicalPool> physicalPools, List<Zone> zones, List<Server> servers,
                    List<ChunkServer> chunkServers, List<LogicalPool> logicalPools, Map<Long, List<Copyset>> copysets) {
        this(nextId, physicalPools, zones, servers, chunkServers, logicalPools, copysets, List.of());
    }

    /** A set of machines added together; the unit of expansion. */
    public record PhysicalPool(long id, String name) {
    }

    /** A failure domain (rack) inside a physical pool. */
    public record Zone(long id, String name, long physicalPoolId) {
    }

    /** A host. */
    public record Server(long id, String name, String host, long zoneId) {
    }

    /**
     * One chunk-service process owning one disk; its id is stable across restarts. diskId is the identity its disk
     * registered with (null until it registers one). A retired chunk server's disk was wiped or replaced: it keeps
     * its place in copysets (as a member that never answers) until recovery replaces it, and a new chunk server
     * serves its address. A draining one is being emptied by an operator: its replicas move to other chunk servers
     * and it takes no new ones, so it can then be removed.
     */
    public record ChunkServer(long id, long serverId, String host, int port, int dataPort, String diskPath,
                              long capacityBytes, ChunkServerState state, String diskId, boolean retired,
                              boolean draining) {

        public ChunkServer(long id, long serverId, String host, int port, int dataPort, String diskPath,
                           long capacityBytes, ChunkServerState state) {
            this(id, serverId, host, port, dataPort, diskPath, capacityBytes, state, null, false, false);
        }

        public ChunkServer withHost(String newHost) {
            return new ChunkServer(id, serverId, newHost, port, dataPort, diskPath, capacityBytes, state, diskId,
                    retired, draining);
        }

        public ChunkServer withDiskId(String newDiskId) {
            return new ChunkServer(id, serverId, host, port, dataPort, diskPath, capacityBytes, state, newDiskId,
                    retired, draining);
        }

        public ChunkServer retiredOne() {
            return new ChunkServer(id, serverId, host, port, dataPort, diskPath, capacityBytes, state, diskId, true,
                    draining);
        }

        public ChunkServer withDraining(boolean drain) {
            return new ChunkServer(id, serverId, host, port, dataPort, diskPath, capacityBytes, state, diskId,
                    retired, drain);
        }

        /** Whether new replicas may be placed here (recovery, balance, new copysets). */
        public boolean takesReplicas() {
            return !retired && !draining;
        }
    }

    /**
     * One meta-service process: hosts replicas of file-system metadata partitions. host:raftPort names it, so a
     * restart keeps its id; peerId is its Raft peer id in every partition group.
     */
    public record MetaServer(long id, long serverId, String host, int raftPort, int httpPort, String peerId) {
    }

    /** Where volumes allocate chunks; built on one physical pool. */
    public record LogicalPool(long id, String name, long physicalPoolId, LogicalPoolType type, int replicas,
                              long chunkSize, long segmentSize) {
    }

    /**
     * A Raft group of chunk servers in distinct zones. members is what the MDS wants the group to be: the copyset's
     * leader changes the group's Raft configuration to match it. epoch counts the MDS's changes of members.
     */
    public record Copyset(long logicalPoolId, int id, List<Long> members, long epoch) {

        public Copyset(long logicalPoolId, int id, List<Long> members) {
            this(logicalPoolId, id, members, 0);
        }

        /** The member that leads whenever it is up and caught up (the higher Raft election priority). */
        public long preferredLeader() {
            return members.get(io.camber.common.chunk.CopysetIds.preferredLeaderIndex(id, members.size()));
        }

        /** This copyset with member moved to the preferred leader's place, the two swapping places. */
        public Copyset preferring(long member) {
            List<Long> next = new ArrayList<>(members);
            int to = io.camber.common.chunk.CopysetIds.preferredLeaderIndex(id, members.size());
            int from = next.indexOf(member);
            next.set(from, next.get(to));
            next.set(to, member);
            return new Copyset(logicalPoolId, id, List.copyOf(next), epoch + 1);
        }

        /** This copyset with member from replaced by to at the same place (its election priority goes with it). */
        public Copyset replacing(long from, long to) {
            List<Long> next = new ArrayList<>(members);
            next.set(next.indexOf(from), to);
            return new Copyset(logicalPoolId, id, List.copyOf(next), epoch + 1);
        }
    }

    public static Topology empty() {
        return new Topology(1, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
    }

    public Optional<PhysicalPool> physicalPool(String name) {
        return physicalPools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<PhysicalPool> physicalPool(long id) {
        return physicalPools.stream().filter(p -> p.id() == id).findFirst();
    }

    public Optional<Zone> zone(long poolId, String name) {
        return zones.stream().filter(z -> z.physicalPoolId() == poolId && z.name().equals(name)).findFirst();
    }

    public Optional<Zone> zone(long id) {
        return zones.stream().filter(z -> z.id() == id).findFirst();
    }

    public Optional<Server> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<Server> server(long id) {
        return servers.stream().filter(s -> s.id() == id).findFirst();
    }

    /**
     * The logical pool named, or the only one when no name is given: what volumes and file systems allocate from.
     * Refused (INVALID_ARGUMENT) when the name is unknown, or when none is given and there is not exactly one pool.
     */
    public LogicalPool logicalPoolOrOnly(String name) {
        if (name == null || name.isBlank()) {
            if (logicalPools.size() == 1) {
                return logicalPools.get(0);
            }
            throw io.camber.common.CamberException.invalid(logicalPools.isEmpty()
                    ? "there is no logical pool yet: apply a topology with a logical pool first"
                    : "name a logical pool (--pool): there are " + logicalPools.size());
        }
        return logicalPool(name).orElseThrow(() -> io.camber.common.CamberException.invalid(
                "logical pool '" + name + "' does not exist; see camber topology show"));
    }

    /** The chunk server serving host:port now (a retired one that served it before is not it). */
    public Optional<ChunkServer> chunkServer(String host, int port) {
        return chunkServers.stream().filter(c -> !c.retired() && c.host().equals(host) && c.port() == port)
                .findFirst();
    }

    public Optional<ChunkServer> chunkServer(long id) {
        return chunkServers.stream().filter(c -> c.id() == id).findFirst();
    }

    public Optional<MetaServer> metaServer(String host, int raftPort) {
        return metaServers.stream().filter(m -> m.host().equals(host) && m.raftPort() == raftPort).findFirst();
    }

    public Optional<MetaServer> metaServer(long id) {
        return metaServers.stream().filter(m -> m.id() == id).findFirst();
    }

    /** The zone id a meta server sits in. */
    public long zoneOf(MetaServer m) {
        return server(m.serverId()).map(Server::zoneId).orElseThrow();
    }

    public Optional<LogicalPool> logicalPool(String name) {
        return logicalPools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<LogicalPool> logicalPool(long id) {
        return logicalPools.stream().filter(p -> p.id() == id).findFirst();
    }

    public List<Copyset> copysetsOf(long logicalPoolId) {
        return copysets.getOrDefault(logicalPoolId, List.of());
    }

    public Optional<Copyset> copyset(long logicalPoolId, int copysetId) {
        return copysetsOf(logicalPoolId).stream().filter(c -> c.id() == copysetId).findFirst();
    }

    /** The zone id a chunk server sits in. */
    public long zoneOf(ChunkServer cs) {
        return server(cs.serverId()).map(Server::zoneId).orElseThrow();
    }

    /** The physical pool id a chunk server belongs to. */
    public long physicalPoolOf(ChunkServer cs) {
        return zone(zoneOf(cs)).map(Zone::physicalPoolId).orElseThrow();
    }

    /** Number of copysets each chunk server is a member of, over every logical pool. */
    public Map<Long, Integer> copysetCounts() {
        Map<Long, Integer> counts = new HashMap<>();
        copysets.values().forEach(list -> list.forEach(c -> c.members().forEach(m -> counts.merge(m, 1, Integer::sum))));
        return counts;
    }

    /** Mutable lists to build the next topology from. */
    public Draft draft() {
        return new Draft(this);
    }

    /** A topology under change; build() freezes it. */
    public static final class Draft {
        public long nextId;
        public final List<PhysicalPool> physicalPools;
        public final List<Zone> zones;
        public final List<Server> servers;
        public final List<ChunkServer> chunkServers;
        public final List<LogicalPool> logicalPools;
        public final Map<Long, List<Copyset>> copysets;
        public final List<MetaServer> metaServers;

        Draft(Topology t) {
            nextId = t.nextId;
            physicalPools = new ArrayList<>(t.physicalPools);
            zones = new ArrayList<>(t.zones);
            servers = new ArrayList<>(t.servers);
            chunkServers = new ArrayList<>(t.chunkServers);
            logicalPools = new ArrayList<>(t.logicalPools);
            copysets = new HashMap<>(t.copysets);
            metaServers = new ArrayList<>(t.metaServers);
        }

        public long newId() {
            return nextId++;
        }

        /** The chunk server serving host:port in this draft (a retired one that served it before is not it). */
        public Optional<ChunkServer> liveChunkServer(String host, int port) {
            return chunkServers.stream().filter(c -> !c.retired() && c.host().equals(host) && c.port() == port)
                    .findFirst();
        }

        public Topology build() {
            return new Topology(nextId, List.copyOf(physicalPools), List.copyOf(zones), List.copyOf(servers),
                    List.copyOf(chunkServers), List.copyOf(logicalPools), Map.copyOf(copysets), List.copyOf(metaServers));
        }
    }
}
