package io.camber.mds.fs;

import io.camber.mds.topology.Topology.LogicalPool;

/**
 * The namespace side of file systems' data volumes, handed to {@link FsCommands} by the state machine so that the
 * file-system feature does not reach into the namespace's storage.
 */
public interface DataVolumes {
    /** Creates the thin data volume of a new file system in the pool, in the command's batch; answers its path. */
    String create(long fsId, LogicalPool pool, long nowMillis);

    /** Deletes a data volume in the command's batch (its chunks become garbage); nothing when it is gone already. */
    void delete(String path);

    /** The clients holding sessions on a data volume (its mounts), one entry per session; empty when it is gone. */
    java.util.List<String> clients(String path);
}
