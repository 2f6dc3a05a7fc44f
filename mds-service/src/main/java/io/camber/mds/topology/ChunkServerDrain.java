package io.camber.mds.topology;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.mds.topology.Topology.ChunkServer;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Taking a chunk server out of service without losing a replica (Curve's and Ceph's "drain, then remove"): drain
 * marks it so the schedulers move every replica it holds to other chunk servers, one catch-up at a time, and place
 * no new one on it; once it is a member of no copyset it can be removed from the topology.
 */
public final class ChunkServerDrain {
    private ChunkServerDrain() {
    }

    /** Starts (drain true) or cancels draining chunk server id. */
    public static TopologyPlanner.Plan drain(Topology current, long id, boolean drain) {
        ChunkServer cs = existing(current, id);
        if (cs.draining() == drain) {
            return new TopologyPlanner.Plan(current, List.of());
        }
        if (drain && cs.retired()) {
            throw CamberException.invalid("chunk server " + id + " is retired (its disk was wiped or replaced): its"
                    + " replicas are already being rebuilt elsewhere");
        }
        if (drain) {
            refuseWhenAReplicaHasNowhereToGo(current, cs);
        }
        Topology.Draft d = current.draft();
        d.chunkServers.set(d.chunkServers.indexOf(cs), cs.withDraining(drain));
        return new TopologyPlanner.Plan(d.build(), List.of((drain ? "drain" : "stop draining") + " chunk server "
                + id + " (" + cs.host() + ":" + cs.port() + ")"));
    }

    /**
     * A drain that could never finish is refused up front: each replica must be able to move under the zone rule
     * (never into a zone the copyset's other members use), so its zone, or a zone its copyset does not use yet, needs
     * another chunk server that takes replicas. Whether that one is up is not asked: it may be restarting.
     */
    private static void refuseWhenAReplicaHasNowhereToGo(Topology t, ChunkServer cs) {
        long pool = t.physicalPoolOf(cs);
        for (Topology.LogicalPool lp : t.logicalPools()) {
            for (Topology.Copyset c : t.copysetsOf(lp.id())) {
                if (!c.members().contains(cs.id())) {
                    continue;
                }
                Set<Long> usedZones = c.members().stream().filter(m -> m != cs.id())
                        .flatMap(m -> t.chunkServer(m).stream()).map(t::zoneOf).collect(Collectors.toSet());
                boolean somewhere = t.chunkServers().stream().anyMatch(o -> o.takesReplicas()
                        && !c.members().contains(o.id()) && t.physicalPoolOf(o) == pool
                        && !usedZones.contains(t.zoneOf(o)));
                if (!somewhere) {
                    throw CamberException.conflict("chunk server " + cs.id() + " cannot be drained: no other chunk"
                            + " server can take its replica of copyset " + c.logicalPoolId() + "-" + c.id()
                            + " (its other members use zones " + zoneNames(t, usedZones) + ", and zone "
                            + zoneNames(t, Set.of(t.zoneOf(cs))) + " has no other chunk server that takes replicas)."
                            + " Add a chunk server to that zone first (camber topology apply); nothing was changed");
                }
            }
        }
    }

    private static String zoneNames(Topology t, Set<Long> zones) {
        return zones.stream().map(z -> t.zone(z).map(Topology.Zone::name).orElse(String.valueOf(z))).sorted()
                .collect(Collectors.joining(", "));
    }

    /** Removes chunk server id, which must be a member of no copyset (drain it first). */
    public static TopologyPlanner.Plan remove(Topology current, long id) {
        ChunkServer cs = existing(current, id);
        int held = current.copysetCounts().getOrDefault(id, 0);
        if (held > 0) {
            throw new CamberException(ErrorCode.DATA_LOSS_REFUSED, "chunk server " + id + " is still a member of "
                    + held + " copysets: drain it first (camber chunkserver drain " + id + ") and wait until"
                    + " camber chunkserver ls shows 0 copysets");
        }
        Topology.Draft d = current.draft();
        d.chunkServers.remove(cs); // its server and zone stay: a topology apply removes them when undeclared
        return new TopologyPlanner.Plan(d.build(), List.of("remove chunk server " + id + " (" + cs.host() + ":"
                + cs.port() + ")"));
    }

    private static ChunkServer existing(Topology current, long id) {
        return current.chunkServer(id).orElseThrow(() -> CamberException.notFound("chunk server " + id
                + " does not exist (camber chunkserver ls lists them)"));
    }
}
