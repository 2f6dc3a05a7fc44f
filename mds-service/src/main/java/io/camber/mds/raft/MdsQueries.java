package io.camber.mds.raft;

import io.camber.common.CamberException;
import io.camber.common.api.ApplyResult;
import io.camber.common.api.EpochInfo;
import io.camber.mds.fs.FileSystem;
import io.camber.mds.fs.FsCommands;
import io.camber.mds.fs.FsStore;
import io.camber.mds.fs.FsViews;
import io.camber.mds.namespace.Entry;
import io.camber.mds.namespace.NamespaceCommands;
import io.camber.mds.namespace.NamespaceReader;
import io.camber.mds.namespace.SegmentAllocator;
import io.camber.mds.raft.MdsQuery.Counts;
import io.camber.mds.raft.MdsQuery.FindSegment;
import io.camber.mds.raft.MdsQuery.GetEpoch;
import io.camber.mds.raft.MdsQuery.GetTopology;
import io.camber.mds.raft.MdsQuery.ListChunkServers;
import io.camber.mds.raft.MdsQuery.ListCopysets;
import io.camber.mds.raft.MdsQuery.ListDir;
import io.camber.mds.raft.MdsQuery.ListPools;
import io.camber.mds.raft.MdsQuery.ListSegments;
import io.camber.mds.raft.MdsQuery.ListSessions;
import io.camber.mds.raft.MdsQuery.PlanTopology;
import io.camber.mds.raft.MdsQuery.Stat;
import io.camber.mds.s3.S3Keys;
import io.camber.mds.gc.GarbageTable;
import io.camber.mds.session.SessionRecord;
import io.camber.mds.session.SessionTable;
import io.camber.mds.session.SessionViews;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.TopologyPlanner;
import io.camber.mds.topology.TopologyViews;
import io.camber.server.rocks.RocksStore;

import java.util.List;
import java.util.Map;

/** Answers read-only queries from one consistent view of the store and topology. */
final class MdsQueries {
    private final RocksStore store;
    private final Topology topology;
    private final S3Keys s3Keys;
    private final NamespaceReader reader;

    MdsQueries(RocksStore store, Topology topology, S3Keys s3Keys) {
        this.store = store;
        this.topology = topology;
        this.s3Keys = s3Keys;
        this.reader = new NamespaceReader(store);
    }

    Object answer(MdsQuery query) {
        if (query instanceof MdsQuery.ReplicaDisk q) {
            return ReplicaDisks.recorded(store, q.replica());
        } else if (query instanceof MdsQuery.GarbageOf q) {
            return new GarbageTable(store, null).of(topology, q.chunkServerId(), q.limit());
        } else if (query instanceof MdsQuery.StoredSessions) {
            return new SessionTable(store, null).all();
        } else if (query instanceof GetTopology) {
            return TopologyViews.view(topology);
        } else if (query instanceof PlanTopology q) {
            return new ApplyResult(false, TopologyPlanner.plan(topology, q.spec(),
                    id -> MdsStateMachine.poolInUse(store, id)).changes());
        } else if (query instanceof ListChunkServers) {
            return TopologyViews.chunkServers(topology);
        } else if (query instanceof ListPools) {
            return TopologyViews.logicalPools(topology);
        } else if (query instanceof ListCopysets q) {
            Long poolId = q.pool() == null || q.pool().isBlank() ? null : topology.logicalPool(q.pool())
                    .orElseThrow(() -> CamberException.notFound("logical pool '" + q.pool() + "' does not exist")).id();
            return TopologyViews.copysets(topology, poolId, q.chunkServer());
        } else if (query instanceof Stat q) {
            return NamespaceReader.info(reader.resolve(q.path()), canonical(q.path()), topology);
        } else if (query instanceof ListDir q) {
            return list(q.path());
        } else if (query instanceof FindSegment q) {
            Entry volume = q.volumeId() != null ? volumeById(q.volumeId()) : volume(q.path());
            NamespaceCommands.checkWriter(volume, q.epoch());
            return SegmentAllocator.find(store, volume, q.offset());
        } else if (query instanceof ListSegments q) {
            return SegmentAllocator.list(store, volume(q.path()), q.after(), q.limit());
        } else if (query instanceof ListSessions q) {
            return sessions(q.path(), q.after(), q.limit());
        } else if (query instanceof GetEpoch q) {
            Entry e = reader.byId(q.volumeId()).filter(Entry::isVolume)
                    .orElseThrow(() -> CamberException.notFound("no volume with id " + q.volumeId()));
            return new EpochInfo(e.id(), e.epoch());
        } else if (query instanceof Counts) {
            return counts();
        } else if (query instanceof MdsQuery.ListMetaServers) {
            return FsViews.metaServers(topology, new FsStore(store).allPartitions());
        } else if (query instanceof MdsQuery.ListFs) {
            FsStore fs = new FsStore(store);
            return fs.all().stream().map(f -> FsViews.info(f, fs.partitions(f.id()), topology)).toList();
        } else if (query instanceof MdsQuery.GetFs q) {
            FileSystem f = new FsCommands(store, null, null).get(q.name());
            return FsViews.info(f, new FsStore(store).partitions(f.id()), topology);
        } else if (query instanceof MdsQuery.PartitionsOf q) {
            return new FsStore(store).allPartitions().stream().filter(p -> p.members().contains(q.metaServerId()))
                    .map(p -> FsViews.partition(p, topology)).toList();
        } else if (query instanceof MdsQuery.ListApiKeys) {
            return io.camber.mds.auth.AuthState.load(store).apiKeys().values().stream()
                    .sorted(java.util.Comparator.comparing(io.camber.mds.auth.ApiKeyRecord::createdAtMillis)
                            .thenComparing(io.camber.mds.auth.ApiKeyRecord::id)).toList();
        } else if (query instanceof MdsQuery.ListS3Keys) {
            return s3Keys.list();
        } else if (query instanceof MdsQuery.GetS3KeySecret q) {
            return s3Keys.secret(q.accessKey());
        }
        throw new IllegalStateException("unknown query " + query);
    }

    private List<?> list(String path) {
        Entry dir = reader.resolve(path);
        if (dir.isVolume()) {
            throw CamberException.invalid(path + " is a volume; list its directory instead");
        }
        String base = canonical(path);
        String prefix = base.equals("/") ? "/" : base + "/";
        return reader.children(dir.id()).stream().map(e -> NamespaceReader.info(e, prefix + e.name(), topology)).toList();
    }

    private Entry volumeById(long id) {
        return reader.byId(id).filter(Entry::isVolume).orElseThrow(() -> NamespaceCommands.volumeGone(id));
    }

    private Entry volume(String path) {
        Entry e = reader.resolve(path);
        if (!e.isVolume()) {
            throw CamberException.invalid(path + " is a directory, not a volume");
        }
        return e;
    }

    private List<?> sessions(String path, String after, int limit) {
        SessionTable table = new SessionTable(store, null);
        if (path == null || path.isBlank()) {
            return table.page(null, after, limit).stream().map(s -> SessionViews.info(s, pathOf(s))).toList();
        }
        Entry v = volume(path);
        return table.page(v.id(), after, limit).stream().map(s -> SessionViews.info(s, canonical(path))).toList();
    }

    private String pathOf(SessionRecord s) {
        return reader.byId(s.volumeId()).map(reader::pathOf).orElse(null);
    }

    private Map<String, Long> counts() {
        long volumes = topology.logicalPools().stream()
                .mapToLong(p -> NamespaceCommands.volumesInPool(store, p.id())).sum();
        return Map.of("volumes", volumes, "sessions", (long) new SessionTable(store, null).all().size(),
                "garbageChunks", new GarbageTable(store, null).count());
    }

    private static String canonical(String path) {
        return io.camber.common.VolumePaths.join(io.camber.common.VolumePaths.split(path));
    }
}
