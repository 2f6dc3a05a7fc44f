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
        Copyset c = atEpoch(current, logicalPoolId, copysetId, epoch);
        if (!c.members().contains(from)) {
            throw CamberException.invalid("chunk server " + from + " is not a member of copyset " + logicalPoolId + "/"
                    + copysetId + " (members " + c.members() + ")");
        }
        ChunkServer target = current.chunkServer(to).orElseThrow(() -> CamberException.notFound(
                "chunk server " + to + " does not exist"));
        if (target.retired()) {
            throw CamberException.invalid("chunk server " + to + " is retired: its disk was replaced");
        }
        if (target.draining()) {
            throw CamberException.invalid("chunk server " + to + " is draining: it takes no new replicas");
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
        return changed(current, c, c.replacing(from, to), "copyset " + logicalPoolId + "/" + copysetId
                + ": replace chunk server " + from + " by " + to + " (epoch " + (epoch + 1) + ")");
    }

    /**
     * Makes member the preferred leader of the copyset (it swaps places with the current one), if the copyset is
     * still at epoch; the copyset's epoch goes up by one.
     */
    public static TopologyPlanner.Plan prefer(Topology current, long logicalPoolId, int copysetId, long epoch,
                                              long member) {
        Copyset c = atEpoch(current, logicalPoolId, copysetId, epoch);
        if (!c.members().contains(member)) {
            throw CamberException.invalid("chunk server " + member + " is not a member of copyset " + logicalPoolId
                    + "/" + copysetId + " (members " + c.members() + ")");
        }
        if (c.preferredLeader() == member) {
            return new TopologyPlanner.Plan(current, List.of());
        }
        return changed(current, c, c.preferring(member), "copyset " + logicalPoolId + "/" + copysetId
                + ": prefer chunk server " + member + " as leader (epoch " + (epoch + 1) + ")");
    }

    private static Copyset atEpoch(Topology current, long logicalPoolId, int copysetId, long epoch) {
        Copyset c = current.copyset(logicalPoolId, copysetId).orElseThrow(() -> CamberException.notFound(
                "copyset " + logicalPoolId + "/" + copysetId + " does not exist (camber copyset ls lists them)"));
        if (c.epoch() != epoch) {
            throw CamberException.conflict("copyset " + logicalPoolId + "/" + copysetId + " changed since (epoch "
                    + c.epoch() + ", not " + epoch + "): plan the change again");
        }
        return c;
    }

    private static TopologyPlanner.Plan changed(Topology current, Copyset before, Copyset after, String change) {
        Topology.Draft d = current.draft();
        List<Copyset> pool = new ArrayList<>(d.copysets.get(before.logicalPoolId()));
        pool.set(pool.indexOf(before), after);
        d.copysets.put(before.logicalPoolId(), List.copyOf(pool));
        return new TopologyPlanner.Plan(d.build(), List.of(change));
    }
}
