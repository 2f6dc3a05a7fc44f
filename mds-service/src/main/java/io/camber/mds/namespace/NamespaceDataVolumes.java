package io.camber.mds.namespace;

import io.camber.common.FsDataVolumes;
import io.camber.mds.fs.DataVolumes;
import io.camber.mds.gc.GarbageTable;
import io.camber.mds.session.SessionTable;
import io.camber.mds.topology.Topology;

/**
 * File systems' data volumes kept in the namespace, in one command's batch: created thin in the file system's pool
 * and deleted like any volume, their chunks recorded as garbage for the volume GC to free.
 */
public final class NamespaceDataVolumes implements DataVolumes {
    private final NamespaceCommands namespace;
    private final SessionTable sessions;
    private final GarbageTable garbage;
    private final Topology topology;

    public NamespaceDataVolumes(NamespaceCommands namespace, SessionTable sessions, GarbageTable garbage,
                                Topology topology) {
        this.namespace = namespace;
        this.sessions = sessions;
        this.garbage = garbage;
        this.topology = topology;
    }

    @Override
    public String create(long fsId, Topology.LogicalPool pool, long nowMillis) {
        namespace.createDataVolume(fsId, pool, nowMillis, topology);
        return FsDataVolumes.path(fsId);
    }

    @Override
    public void delete(String path) {
        if (namespace.exists(path)) {
            // Shared sessions (the file system's clients) never hold the volume: they are dropped with it.
            namespace.delete(path, SessionTable.LEASES_BY_LEADER, sessions, garbage);
        }
    }

    @Override
    public java.util.List<String> clients(String path) {
        if (!namespace.exists(path)) {
            return java.util.List.of();
        }
        // Stored sessions are live ones: the leader drops a session once its lease runs out (ExpireSessions).
        return sessions.of(namespace.volume(path).id()).stream().map(s -> s.client()).sorted().toList();
    }
}
