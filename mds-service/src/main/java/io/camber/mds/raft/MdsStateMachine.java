package io.camber.mds.raft;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.ApplyResult;
import io.camber.mds.auth.AuthState;
import io.camber.mds.namespace.Entry;
import io.camber.mds.namespace.NamespaceCommands;
import io.camber.mds.namespace.NamespaceDataVolumes;
import io.camber.mds.namespace.NamespaceReader;
import io.camber.mds.namespace.SegmentAllocator;
import io.camber.mds.raft.MdsCommand.AllocateSegment;
import io.camber.mds.raft.MdsCommand.ApplyTopology;
import io.camber.mds.raft.MdsCommand.CloseSession;
import io.camber.mds.raft.MdsCommand.CreateVolume;
import io.camber.mds.raft.MdsCommand.Delete;
import io.camber.mds.raft.MdsCommand.ExpireSessions;
import io.camber.mds.raft.MdsCommand.ExtendVolume;
import io.camber.mds.raft.MdsCommand.Mkdir;
import io.camber.mds.raft.MdsCommand.OpenSession;
import io.camber.mds.raft.MdsCommand.RegisterChunkServer;
import io.camber.mds.raft.MdsCommand.RenewSession;
import io.camber.mds.raft.MdsCommand.Rename;
import io.camber.mds.s3.S3Keys;
import io.camber.mds.gc.GarbageTable;
import io.camber.mds.session.SessionTable;
import io.camber.common.FsDataVolumes;
import io.camber.mds.fs.DataVolumes;
import io.camber.mds.fs.FsCommands;
import io.camber.mds.fs.FsStore;
import io.camber.mds.fs.FsViews;
import io.camber.mds.topology.ChunkServerDrain;
import io.camber.mds.topology.CopysetMembership;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.TopologyPlanner;
import io.camber.mds.topology.TopologyStore;
import io.camber.mds.topology.TopologyViews;
import io.camber.mds.session.SessionViews;
import io.camber.server.codec.Json;
import io.camber.server.raft.RocksStateMachine;
import io.camber.server.rocks.RocksStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The MDS state machine: applies each committed command to RocksDB (one batch per command, with
 * the Raft index) and answers queries. The topology is also kept in memory as an immutable value.
 */
public final class MdsStateMachine extends RocksStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MdsStateMachine.class);

    private volatile Topology topology = Topology.empty();
    private volatile AuthState auth = AuthState.empty();
    private volatile S3Keys s3Keys = S3Keys.empty();

    public MdsStateMachine(Path dataDir, long memoryBudget) {
        super(dataDir, Keys.ALL, memoryBudget);
    }

    /** The current topology as this replica has applied it. */
    public Topology topology() {
        return topology;
    }

    /** The API and signing keys as this replica has applied them. */
    public AuthState auth() {
        return auth;
    }

    /** The S3 access keys as this replica has applied them. */
    public S3Keys s3Keys() {
        return s3Keys;
    }

    @Override
    protected void loaded(RocksStore store) {
        topology = TopologyStore.load(store);
        auth = AuthState.load(store);
        s3Keys = S3Keys.load(store);
    }

    @Override
    protected byte[] apply(byte[] bytes, RocksStore store, RocksStore.Batch batch, long index) {
        MdsCommand command = Json.read(bytes, MdsCommand.class);
        if (command instanceof RenewSession c) {
            // Not an exception: an expired session is dropped in this batch and the refusal is still committed.
            return new SessionTable(store, batch, index).renew(c.sessionId(), c.nowMillis(), c.byWallClock())
                    .map(s -> Reply.ok(SessionViews.info(s, null)))
                    .orElseGet(() -> Reply.error(SessionTable.expired(c.sessionId())));
        }
        return Reply.ok(dispatch(command, store, batch, new NamespaceCommands(store, batch), index));
    }

    // An instanceof chain rather than a pattern switch: the bytecode targets Java 17.
    private Object dispatch(MdsCommand command, RocksStore store, RocksStore.Batch batch, NamespaceCommands ns,
                            long index) {
        SessionTable sessions = new SessionTable(store, batch, index);
        if (command instanceof ApplyTopology c) {
            return changeTopology(batch, TopologyPlanner.plan(topology, c.spec(), id -> poolInUse(store, id)));
        } else if (command instanceof RegisterChunkServer c) {
            TopologyPlanner.Plan plan = TopologyPlanner.register(topology, c.registration());
            changeTopology(batch, plan);
            return TopologyViews.chunkServer(plan.next(),
                    plan.next().chunkServer(c.registration().host(), c.registration().port()).orElseThrow());
        } else if (command instanceof Mkdir c) {
            FsDataVolumes.refuseUserChange(c.path(), "create a directory at");
            return NamespaceReader.info(ns.mkdir(c.path(), c.owner(), c.nowMillis()), c.path(), topology);
        } else if (command instanceof CreateVolume c) {
            FsDataVolumes.refuseUserChange(c.path(), "create a volume at");
            return NamespaceReader.info(ns.create(c.path(), c.size(), c.pool(), c.owner(), c.nowMillis(), topology),
                    c.path(), topology);
        } else if (command instanceof ExtendVolume c) {
            FsDataVolumes.refuseUserChange(c.path(), "resize");
            return NamespaceReader.info(ns.extend(c.path(), c.size()), c.path(), topology);
        } else if (command instanceof Rename c) {
            FsDataVolumes.refuseUserChange(c.from(), "rename");
            FsDataVolumes.refuseUserChange(c.to(), "rename to");
            return NamespaceReader.info(ns.rename(c.from(), c.to(), c.nowMillis(), sessions), c.to(), topology);
        } else if (command instanceof Delete c) {
            FsDataVolumes.refuseUserChange(c.path(), "delete");
            ns.delete(c.path(), c.nowMillis(), sessions, Boolean.TRUE.equals(c.collectGarbage())
                    ? new GarbageTable(store, batch) : null);
            return Boolean.TRUE;
        } else if (command instanceof AllocateSegment c) {
            Entry volume = c.volumeId() != null ? ns.volumeById(c.volumeId()) : ns.volume(c.path());
            NamespaceCommands.checkWriter(volume, c.epoch());
            return SegmentAllocator.getOrAllocate(store, batch, volume, c.offset(), topology);
        } else if (command instanceof OpenSession c) {
            return SessionViews.info(sessions.open(ns, c.path(), c.mode(), c.client(), c.uuid(), c.nowMillis(),
                    c.leaseMillis()), c.path());
        } else if (command instanceof MdsCommand.ResumeSession c) {
            return SessionViews.info(sessions.resume(ns, c.sessionId(), c.mode(), c.epoch(), c.client(),
                    c.nowMillis(), c.leaseMillis(), c.byWallClock()), null);
        } else if (command instanceof CloseSession c) {
            sessions.close(c.sessionId());
            return Boolean.TRUE;
        } else if (command instanceof MdsCommand.ForgetGarbage c) {
            return new GarbageTable(store, batch).forget(c.deleted());
        } else if (command instanceof ExpireSessions c) {
            return c.overdue() != null ? sessions.expire(c.overdue()) : sessions.expire(c.nowMillis());
        } else if (command instanceof MdsCommand.RegisterMetaServer c) {
            TopologyPlanner.Plan plan = TopologyPlanner.registerMetaServer(topology, c.registration());
            changeTopology(batch, plan);
            Topology next = plan.next();
            return FsViews.metaServer(next, next.metaServer(c.registration().host(), c.registration().raftPort())
                    .orElseThrow(), 0);
        } else if (command instanceof MdsCommand.CreateFs c) {
            FsCommands.Result created = new FsCommands(store, batch, Boolean.TRUE.equals(c.dataVolume())
                    ? dataVolumes(store, batch, ns, sessions) : null).create(c.name(), c.pool(), c.partitions(),
                    c.inodesPerPartition(), c.nowMillis(), topology, c.offline());
            return FsViews.info(created.fs(), created.partitions(), topology);
        } else if (command instanceof MdsCommand.DeleteFs c) {
            new FsCommands(store, batch, dataVolumes(store, batch, ns, sessions)).delete(c.name(), c.force(),
                    c.inodesUsed(), Boolean.TRUE.equals(c.refuseMounted()));
            return Boolean.TRUE;
        } else if (command instanceof MdsCommand.AddFsPartition c) {
            FsCommands.Result grown = new FsCommands(store, batch, null).addPartition(c.name(), c.fullPartition(),
                    c.inodesPerPartition(), topology, c.offline());
            return FsViews.info(grown.fs(), grown.partitions(), topology);
        } else if (command instanceof MdsCommand.ReplaceCopysetMember c) {
            TopologyPlanner.Plan plan = CopysetMembership.replace(topology, c.logicalPoolId(), c.copysetId(), c.epoch(),
                    c.from(), c.to());
            LOG.info("event=copyset-member-replaced pool={} copyset={} from={} to={} epoch={} why=\"{}\"",
                    c.logicalPoolId(), c.copysetId(), c.from(), c.to(), c.epoch() + 1, c.why());
            changeTopology(batch, plan);
            return TopologyViews.copysets(plan.next(), c.logicalPoolId(), null).stream()
                    .filter(info -> info.copysetId() == c.copysetId()).findFirst().orElseThrow();
        } else if (command instanceof MdsCommand.PreferCopysetLeader c) {
            TopologyPlanner.Plan plan = CopysetMembership.prefer(topology, c.logicalPoolId(), c.copysetId(), c.epoch(),
                    c.member());
            LOG.info("event=copyset-leader-preferred pool={} copyset={} member={} epoch={} why=\"{}\"",
                    c.logicalPoolId(), c.copysetId(), c.member(), c.epoch() + 1, c.why());
            changeTopology(batch, plan);
            return TopologyViews.copysets(plan.next(), c.logicalPoolId(), null).stream()
                    .filter(info -> info.copysetId() == c.copysetId()).findFirst().orElseThrow();
        } else if (command instanceof MdsCommand.DrainChunkServer c) {
            return changeTopology(batch, ChunkServerDrain.drain(topology, c.chunkServerId(), c.drain()));
        } else if (command instanceof MdsCommand.RemoveChunkServer c) {
            return changeTopology(batch, ChunkServerDrain.remove(topology, c.chunkServerId()));
        } else if (command instanceof MdsCommand.RecordReplicaDisk c) {
            ReplicaDisks.record(batch, c.replica(), c.diskId());
            LOG.info("event=mds-replica-disk-recorded replica={} disk={}", c.replica(), c.diskId());
            return Boolean.TRUE;
        } else if (command instanceof MdsCommand.ForgetReplicaDisk c) {
            ReplicaDisks.forget(batch, c.replica());
            LOG.info("event=mds-replica-disk-forgotten replica={}", c.replica());
            return Boolean.TRUE;
        } else if (command instanceof MdsCommand.CreateApiKey c) {
            return changeAuth(batch, auth.withApiKey(batch, c.key()));
        } else if (command instanceof MdsCommand.DeleteApiKey c) {
            if (!auth.apiKeys().containsKey(c.id())) {
                throw CamberException.notFound("no stored API key with id " + c.id() + " (`camber auth ls` lists them)");
            }
            return changeAuth(batch, auth.withoutApiKey(batch, c.id()));
        } else if (command instanceof MdsCommand.InstallSigningKey c) {
            if (c.onlyIfNone() && !auth.signingKeys().isEmpty()) {
                return Boolean.FALSE;
            }
            return changeAuth(batch, auth.withSigningKey(batch, c.key()));
        } else if (command instanceof MdsCommand.CreateS3Key c) {
            return changeS3Keys(batch, s3Keys.with(batch, c.key()));
        } else if (command instanceof MdsCommand.DeleteS3Key c) {
            return changeS3Keys(batch, s3Keys.without(batch, c.accessKey()));
        }
        throw new IllegalStateException("unknown command " + command);
    }

    /** File systems' data volumes, kept in the namespace (their chunks freed by the volume GC once deleted). */
    private DataVolumes dataVolumes(RocksStore store, RocksStore.Batch batch, NamespaceCommands ns,
                                    SessionTable sessions) {
        return new NamespaceDataVolumes(ns, sessions, new GarbageTable(store, batch), topology);
    }

    /** A logical pool still holds data while volumes or file systems allocate from it. */
    static boolean poolInUse(RocksStore store, long poolId) {
        return NamespaceCommands.poolInUse(store, poolId) || FsStore.poolInUse(store, poolId);
    }

    private Boolean changeAuth(RocksStore.Batch batch, AuthState next) {
        batch.afterCommit(() -> auth = next);
        return Boolean.TRUE;
    }

    private Boolean changeS3Keys(RocksStore.Batch batch, S3Keys next) {
        batch.afterCommit(() -> s3Keys = next);
        return Boolean.TRUE;
    }

    private ApplyResult changeTopology(RocksStore.Batch batch, TopologyPlanner.Plan plan) {
        if (!plan.changes().isEmpty()) {
            Topology before = topology;
            TopologyStore.save(batch, before, plan.next());
            batch.afterCommit(() -> topology = plan.next());
            LOG.info("event=topology-changed changes={}", plan.changes().size());
        }
        return new ApplyResult(true, plan.changes());
    }

    @Override
    protected byte[] query(byte[] bytes, RocksStore store) {
        MdsQuery query = Json.read(bytes, MdsQuery.class);
        return Reply.ok(new MdsQueries(store, topology, s3Keys).answer(query));
    }

    @Override
    protected byte[] failureReply(RuntimeException e) {
        if (e instanceof CamberException ce) {
            return Reply.error(ce);
        }
        LOG.error("event=apply-failed error={}", e.toString(), e);
        return Reply.error(new CamberException(ErrorCode.INTERNAL, "the MDS failed to apply the request: " + e));
    }

    /** The disk id this replica has applied for an MDS replica, or null (read locally, not through the leader). */
    public String recordedDisk(String replica) {
        return readLocal(store -> ReplicaDisks.recorded(store, replica)).orElse(null);
    }

    /** Used by tests to look at applied state. */
    public Entry entryAt(String path) {
        return new NamespaceReader(store()).resolve(path);
    }
}
