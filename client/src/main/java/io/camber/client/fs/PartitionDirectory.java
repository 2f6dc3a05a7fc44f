package io.camber.client.fs;

import io.camber.client.mds.MdsAdminClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.FsInfo;
import io.camber.common.api.PartitionInfo;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.protocol.PartitionId;
import io.camber.server.raft.RaftSettings;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One mounted file system's partitions: the map from the MDS, refreshed when an inode falls outside every known
 * range or a partition fills, and one Ratis client per partition, built from the members the MDS lists.
 */
final class PartitionDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionDirectory.class);
    /** How long a create waits for a partition the MDS just added to be started and led. */
    private static final java.time.Duration READY_WAIT = java.time.Duration.ofSeconds(30);

    private final MdsAdminClient mds;
    private final String fsName;
    private final RaftSettings raft;
    private final AtomicReference<FsInfo> described = new AtomicReference<>();
    private final Map<Integer, Member> clients = new ConcurrentHashMap<>();
    /** Partitions that answered ENOSPC: ids are never reused, so a full range stays full. */
    private final Set<Integer> full = ConcurrentHashMap.newKeySet();
    /** One MDS call at a time per mount for a refresh: many lookups of a new range share it. */
    private final AtomicReference<CompletableFuture<FsInfo>> refreshing = new AtomicReference<>();

    /** A partition's client and the peers it was built for (rebuilt when the MDS lists other members). */
    private record Member(List<String> peers, PartitionClient client) {
    }

    private PartitionDirectory(MdsAdminClient mds, String fsName, RaftSettings raft) {
        this.mds = mds;
        this.fsName = fsName;
        this.raft = raft;
    }

    /** Describes the file system; an unknown name fails with ENOENT saying how to create it. */
    static CompletableFuture<PartitionDirectory> open(MdsAdminClient mds, String fsName, RaftSettings raft) {
        PartitionDirectory directory = new PartitionDirectory(mds, fsName, raft);
        return directory.refresh().thenApply(fs -> directory);
    }

    FsInfo fs() {
        return described.get();
    }

    PartitionMap map() {
        return new PartitionMap(described.get().partitions());
    }

    /** The partition holding ino, asking the MDS again when no known range holds it. */
    CompletableFuture<PartitionInfo> holding(long ino) {
        PartitionInfo known = map().holding(ino);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return refresh().thenApply(fs -> {
            PartitionInfo p = new PartitionMap(fs.partitions()).holding(ino);
            if (p == null) {
                throw FsException.of(FsError.ENOENT, "inode " + ino + " is in no partition of file system '"
                        + fsName + "': it does not exist");
            }
            return p;
        });
    }

    /** The client of a partition this mount knows. */
    PartitionClient client(int partitionId) {
        PartitionInfo p = map().byId(partitionId);
        if (p == null) {
            throw FsException.of(FsError.EINVAL, "file system '" + fsName + "' has no partition " + partitionId);
        }
        return client(p);
    }

    PartitionClient client(PartitionInfo p) {
        Member m = clients.compute(p.partitionId(), (id, old) -> {
            if (old != null && old.peers().equals(p.peerIds()) && !old.client().isClosed()) {
                return old;
            }
            if (old != null) {
                closeQuietly(old.client());
            }
            return new Member(p.peerIds(), new PartitionClient(new PartitionId(p.fsId(), id), peers(p), raft));
        });
        return m.client();
    }

    /** Whether the client this mount holds for the partition was closed by Ratis (the next call builds another). */
    boolean closedClient(int partitionId) {
        Member m = clients.get(partitionId);
        return m != null && m.client().isClosed();
    }

    boolean isFull(int partitionId) {
        return full.contains(partitionId);
    }

    /**
     * Records that a partition ran out of ids and answers a partition with free ids: a newer one this mount knows,
     * else one the MDS adds (it adds one per full partition, however many clients ask).
     */
    CompletableFuture<PartitionInfo> spillOver(int fullPartition) {
        full.add(fullPartition);
        PartitionInfo newest = map().newest();
        if (!full.contains(newest.partitionId())) {
            return CompletableFuture.completedFuture(newest);
        }
        LOG.info("event=fs_partition_full fs={} partition={}", fsName, fullPartition);
        return mds.addFsPartition(fsName, newest.partitionId()).handle((fs, e) -> {
            if (e != null) {
                throw mdsFailure(e, "add a partition after partition " + newest.partitionId() + " filled");
            }
            described.set(fs);
            PartitionInfo added = new PartitionMap(fs.partitions()).newest();
            if (full.contains(added.partitionId())) {
                throw FsException.of(FsError.ENOSPC, "file system '" + fsName + "' got no partition with free "
                        + "inode ids: check the MDS and its meta-services");
            }
            return added.partitionId();
        }).thenCompose(id -> ready(id, System.nanoTime() + READY_WAIT.toNanos()));
    }

    /**
     * The partition once a member reports leading it with its range set. A partition the MDS has just placed has
     * no Raft group yet until its meta-services' next heartbeats start it, and Ratis closes a client that reaches a
     * member without the group, so new partitions are used only once ready.
     */
    private CompletableFuture<PartitionInfo> ready(int partitionId, long deadline) {
        return refresh().thenCompose(fs -> {
            PartitionInfo p = new PartitionMap(fs.partitions()).byId(partitionId);
            if (p != null && p.leader() != null && p.nextIno() >= p.start()) {
                return CompletableFuture.completedFuture(p);
            }
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(FsException.of(FsError.EAGAIN, "partition " + partitionId
                        + " of file system '" + fsName + "' has no leader " + READY_WAIT.toSeconds() + " s after it "
                        + "was added: check its meta-services (camber fs describe " + fsName + ") and retry"));
            }
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(200,
                    java.util.concurrent.TimeUnit.MILLISECONDS)).thenCompose(x -> ready(partitionId, deadline));
        });
    }

    /** Describes the file system again; concurrent callers share one MDS call. */
    CompletableFuture<FsInfo> refresh() {
        CompletableFuture<FsInfo> mine = new CompletableFuture<>();
        CompletableFuture<FsInfo> running = refreshing.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        mds.describeFs(fsName).whenComplete((fs, e) -> {
            refreshing.set(null);
            if (e != null) {
                mine.completeExceptionally(mdsFailure(e, "describe it"));
            } else if (fs.partitions().isEmpty()) {
                mine.completeExceptionally(FsException.of(FsError.EIO, "file system '" + fsName
                        + "' has no partitions: check it with camber fs describe " + fsName));
            } else {
                described.set(fs);
                mine.complete(fs);
            }
        });
        return mine;
    }

    private FsException mdsFailure(Throwable e, String what) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof CamberException c && c.code() == ErrorCode.NOT_FOUND) {
            return FsException.of(FsError.ENOENT, "file system '" + fsName + "' does not exist: create it with "
                    + "camber fs create " + fsName + " or mount another");
        }
        if (cause instanceof CamberException c && c.code() == ErrorCode.INVALID_ARGUMENT) {
            return FsException.of(FsError.EINVAL, "'" + fsName + "' is not a file-system name: " + c.getMessage());
        }
        FsException failure = FsException.of(FsError.EIO, "could not " + what + " for file system '" + fsName
                + "' at the MDS (" + cause.getMessage() + "); retry when the MDS answers");
        failure.initCause(cause);
        return failure;
    }

    private static List<RaftPeer> peers(PartitionInfo p) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < p.peerIds().size(); i++) {
            peers.add(RaftPeer.newBuilder().setId(p.peerIds().get(i)).setAddress(p.addresses().get(i)).build());
        }
        return peers;
    }

    private static void closeQuietly(PartitionClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("event=partition_client_close_failed partition={} cause={}", client.partition(), e.toString());
        }
    }

    @Override
    public void close() {
        clients.values().forEach(m -> closeQuietly(m.client()));
        clients.clear();
    }
}
