package io.camber.mds.topology;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.mds.topology.Topology.ChunkServer;

import java.util.List;

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
        Topology.Draft d = current.draft();
        d.chunkServers.set(d.chunkServers.indexOf(cs), cs.withDraining(drain));
        return new TopologyPlanner.Plan(d.build(), List.of((drain ? "drain" : "stop draining") + " chunk server "
                + id + " (" + cs.host() + ":" + cs.port() + ")"));
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
