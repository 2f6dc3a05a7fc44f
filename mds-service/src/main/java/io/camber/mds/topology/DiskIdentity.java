package io.camber.mds.topology;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.ChunkServerRegistration;
import io.camber.mds.topology.Topology.ChunkServer;

import java.util.List;

/**
 * The guard against Raft amnesia: a chunk server's id (its Raft peer id in every copyset it holds) goes only to
 * the disk that holds that chunk server's data. A fresh disk at a known address retires the chunk server that was
 * there and joins as a new one, so it never votes in a group with a log it lost; a disk that claims a chunk
 * server it is not is refused.
 */
final class DiskIdentity {
    private DiskIdentity() {
    }

    /** Checks a registration that carries a disk identity against the draft, retiring a wiped disk's predecessor. */
    static void check(Topology.Draft d, ChunkServerRegistration reg, List<String> changes) {
        ChunkServer atAddress = d.liveChunkServer(reg.host(), reg.port()).orElse(null);
        String address = reg.host() + ":" + reg.port();
        if (reg.knownId() == null) {
            if (atAddress != null && atAddress.diskId() != null && atAddress.diskId().equals(reg.diskId())) {
                return; // its id file was lost but the disk is the same one
            }
            if (atAddress != null && (atAddress.diskId() != null || atAddress.dataPort() != 0)) {
                d.chunkServers.set(d.chunkServers.indexOf(atAddress), atAddress.retiredOne());
                changes.add("retire chunk server " + atAddress.id() + " at " + address + ": a fresh disk ("
                        + reg.diskId() + ") registered there, so its replicas are gone");
            }
            return;
        }
        ChunkServer claimed = d.chunkServers.stream().filter(c -> c.id() == reg.knownId()).findFirst()
                .orElseThrow(() -> new CamberException(ErrorCode.CONFLICT, "the disk at " + address + " says it"
                        + " belongs to chunk server " + reg.knownId() + ", which this cluster does not know: if the"
                        + " disk comes from another cluster, empty its data directory to join as a new chunk server"));
        if (claimed.retired()) {
            throw new CamberException(ErrorCode.CONFLICT, "chunk server " + claimed.id() + " was retired when a fresh"
                    + " disk took its place at " + claimed.host() + ":" + claimed.port() + "; its old disk cannot come"
                    + " back: empty its data directory to join as a new chunk server");
        }
        if (claimed.diskId() != null && !claimed.diskId().equals(reg.diskId())) {
            throw new CamberException(ErrorCode.CONFLICT, "the disk at " + address + " claims chunk server "
                    + claimed.id() + " but carries disk " + reg.diskId() + ", not " + claimed.diskId()
                    + ": a copied or swapped data directory; empty it to join as a new chunk server");
        }
        if (!claimed.host().equals(reg.host()) || claimed.port() != reg.port()) {
            throw new CamberException(ErrorCode.CONFLICT, "the disk at " + address + " belongs to chunk server "
                    + claimed.id() + " at " + claimed.host() + ":" + claimed.port() + ": start it with that host and"
                    + " port, or empty its data directory to join as a new chunk server");
        }
    }
}
