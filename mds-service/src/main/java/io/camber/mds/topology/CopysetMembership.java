package io.camber.mds.topology;

import io.camber.common.CamberException;
import io.camber.mds.topology.Topology.ChunkServer;
import io.camber.mds.topology.Topology.Copyset;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules for changing a copyset's members, checked when the change is applied (so a change planned on a view
 * that has moved on since is refused, never applied to a copyset it was not meant for): one member is replaced by
 * a chunk server of the same physical pool, live, not already a member and in a zone none of the other members
 * use.
 */
public final class CopysetMembership {
    private CopysetMembership() {
    }

    /**
     * Replaces member from of the copyset by chunk server to, if the copyset is still at epoch (the epoch the change
     * was planned at); the copyset's epoch goes up by one.
     */
    public static TopologyPlanner.Plan replace(Topology current, long logicalPoolId, int copysetId, long epoch,
                                               long from, long to) {
        Copyset c = current.copyset(logicalPoolId, copysetId).orElseThrow(() -> CamberException.notFound(
                "copyset " + logicalPoolId + "/" + copysetId + " does not exist (camber copyset ls lists them)"));
        if (c.epoch() != epoch) {
            throw CamberException.conflict("copyset " + logicalPoolId + "/" + copysetId + " changed since (epoch "
                    + c.epoch() + ", not " + epoch + "): plan the change again");
        }
        if (!c.members().contains(from)) {
            throw CamberException.invalid("chunk server " + from + " is not a member of copyset " + logicalPoolId + "/"
                    + copysetId + " (members " + c.members() + ")");
        }
        ChunkServer target = current.chunkServer(to).orElseThrow(() -> CamberException.notFound(
                "chunk server " + to + " does not exist"));
        if (target.retired()) {
            throw CamberException.invalid("chunk server " + to + " is retired: its disk was replaced");
        }
        if (c.members().contains(to)) {
            throw CamberException.invalid("chunk server " + to + " is already a member of copyset " + logicalPoolId
                    + "/" + copysetId);
        }
        long physicalPool = current.logicalPool(logicalPoolId).orElseThrow().physicalPoolId();
        if (current.physicalPoolOf(target) != physicalPool) {
            throw CamberException.invalid("chunk server " + to + " is not in the physical pool of logical pool "
                    + logicalPoolId);
        }
        long zone = current.zoneOf(target);
        for (long m : c.members()) {
            if (m != from && current.chunkServer(m).map(current::zoneOf).orElse(-1L) == zone) {
                throw CamberException.invalid("chunk server " + to + " shares zone "
                        + current.zone(zone).map(Topology.Zone::name).orElse("?") + " with member " + m
                        + " of copyset " + logicalPoolId + "/" + copysetId + ": replicas must be in distinct zones");
            }
        }
        Topology.Draft d = current.draft();
        List<Copyset> pool = new ArrayList<>(d.copysets.get(logicalPoolId));
        pool.set(pool.indexOf(c), c.replacing(from, to));
        d.copysets.put(logicalPoolId, List.copyOf(pool));
        return new TopologyPlanner.Plan(d.build(), List.of("copyset " + logicalPoolId + "/" + copysetId
                + ": replace chunk server " + from + " by " + to + " (epoch " + (epoch + 1) + ")"));
    }
}
