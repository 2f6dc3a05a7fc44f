package io.camber.meta.client;

import io.camber.meta.fs.FsError;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.RenameIntent;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The client side of a rename between two partitions (docs/architecture.md, "Cross-partition rename"): prepare
 * the source (the primary) then the target, commit the primary (the rename happens here), then the target, then
 * let the primary forget. {@link #resolve} finishes what a crashed client left, from either partition. Every step
 * is asynchronous: nothing here blocks the Ratis client threads its futures complete on.
 */
public final class CrossPartitionRename {
    private final IntFunction<PartitionClient> partitions;
    private final LongSupplier clock;
    private final long ttlNanos;

    /**
     * @param partitions the client of each partition id of the file system
     * @param clock      nanoseconds since the epoch; the times the commands carry
     * @param ttlNanos   how long a prepared rename may wait for its client before a resolver aborts it
     */
    public CrossPartitionRename(IntFunction<PartitionClient> partitions, LongSupplier clock, long ttlNanos) {
        this.partitions = partitions;
        this.clock = clock;
        this.ttlNanos = ttlNanos;
    }

    /** Both halves prepared: what the commit needs. */
    public record Prepared(String txid, int srcPartition, int dstPartition) {
    }

    /** Runs the whole rename; completes with the reply of the first step that failed, or OK. */
    public CompletableFuture<MetaReply> rename(int srcPartition, long srcParent, String srcName, int dstPartition,
                                               long dstParent, String dstName) {
        String txid = UUID.randomUUID().toString();
        return prepare(txid, srcPartition, srcParent, srcName, dstPartition, dstParent, dstName)
                .thenCompose(prepared -> {
                    if (prepared.isOk()) {
                        return commit(new Prepared(txid, srcPartition, dstPartition));
                    }
                    // EEXIST from the target: both names are of one inode, where POSIX's rename does nothing.
                    return CompletableFuture.completedFuture(prepared.error() == FsError.EEXIST
                            ? MetaReply.ok(new MetaResult.Done()) : prepared);
                });
    }

    /** Prepares both halves; if the target refuses, the source is rolled back and the target's reply returned. */
    public CompletableFuture<MetaReply> prepare(String txid, int srcPartition, long srcParent, String srcName,
                                                int dstPartition, long dstParent, String dstName) {
        PartitionClient src = partitions.apply(srcPartition);
        return src.submit(new MetaCommand.PrepareRenameSource(txid, srcParent, srcName, dstParent, dstName,
                dstPartition, clock.getAsLong())).thenCompose(source -> {
                    if (!source.isOk()) {
                        return CompletableFuture.completedFuture(source);
                    }
                    RenameIntent intent = ((MetaResult.Rename) source.result()).intent();
                    return partitions.apply(dstPartition).submit(new MetaCommand.PrepareRenameTarget(txid, srcParent,
                            srcName, dstParent, dstName, intent.ino(), intent.type(), srcPartition, clock.getAsLong()))
                            .thenCompose(target -> target.isOk() ? CompletableFuture.completedFuture(target)
                                    : src.submit(new MetaCommand.RollbackRename(txid, clock.getAsLong()))
                                            .thenApply(rolledBack -> target));
                });
    }

    /** Commits the primary, then the target, then forgets; a crash between them is finished by {@link #resolve}. */
    public CompletableFuture<MetaReply> commit(Prepared p) {
        PartitionClient primary = partitions.apply(p.srcPartition());
        return primary.submit(new MetaCommand.CommitRename(p.txid(), clock.getAsLong())).thenCompose(committed -> {
            if (!committed.isOk()) {
                return CompletableFuture.completedFuture(committed);
            }
            return finishTarget(p.txid(), p.dstPartition(), true).thenCompose(target -> target.isOk()
                    ? primary.submit(new MetaCommand.ForgetRename(p.txid())).thenApply(forgotten -> target)
                    : CompletableFuture.completedFuture(target));
        });
    }

    /**
     * Finishes every rename the partition holds prepared and its client has abandoned: a target half follows its
     * primary's outcome (asking the primary to decide, which aborts a rename older than the ttl); a primary's own
     * expired prepare is aborted and its target rolled back. Completes with the txids it finished; a partition
     * that does not answer (no leader) is skipped, for the next run to finish.
     */
    public CompletableFuture<List<String>> resolve(int partitionId) {
        return partitions.apply(partitionId).query(new MetaQuery.PendingRenames(1000)).thenCompose(pending -> {
            CompletableFuture<List<String>> finished = CompletableFuture.completedFuture(new ArrayList<>());
            if (!pending.isOk()) {
                return finished;
            }
            for (RenameIntent intent : ((MetaResult.Renames) pending.result()).intents()) {
                // One after another: two resolutions of one partition's renames need not race each other.
                finished = finished.thenCompose(done -> resolveOne(partitionId, intent).thenApply(ok -> {
                    if (ok) {
                        done.add(intent.txid());
                    }
                    return done;
                }));
            }
            return finished;
        });
    }

    private CompletableFuture<Boolean> resolveOne(int partitionId, RenameIntent intent) {
        boolean source = intent.role() == RenameIntent.Role.SOURCE;
        int primary = source ? partitionId : intent.peerPartition();
        int target = source ? intent.peerPartition() : partitionId;
        return partitions.apply(primary).submit(new MetaCommand.ResolveRename(intent.txid(), clock.getAsLong(),
                ttlNanos)).thenCompose(decided -> {
                    RenameIntent.State outcome = decided.isOk()
                            ? ((MetaResult.Rename) decided.result()).intent().state() : RenameIntent.State.PREPARED;
                    if (outcome == RenameIntent.State.PREPARED) {
                        // Undecided, or its client may still be at work: left until the ttl runs out.
                        return CompletableFuture.completedFuture(false);
                    }
                    boolean committed = outcome == RenameIntent.State.COMMITTED;
                    return finishTarget(intent.txid(), target, committed).thenCompose(reply -> {
                        if (!reply.isOk()) {
                            return CompletableFuture.completedFuture(false);
                        }
                        if (!committed) {
                            // An abort stays recorded on the primary: a dead client's delayed prepare or commit of
                            // this txid must keep finding it refused.
                            return CompletableFuture.completedFuture(true);
                        }
                        return partitions.apply(primary).submit(new MetaCommand.ForgetRename(intent.txid()))
                                .thenApply(forgotten -> true);
                    });
                });
    }

    /**
     * Commits or rolls back the target half; a target that no longer knows the txid has finished already. A commit
     * that replaced a name whose inode lives in a third partition answers {@link MetaResult.Unlinked}: that link
     * count is owed to the inode's partition, which the caller finds through placement (not built yet).
     */
    private CompletableFuture<MetaReply> finishTarget(String txid, int dstPartition, boolean commit) {
        MetaCommand command = commit ? new MetaCommand.CommitRename(txid, clock.getAsLong())
                : new MetaCommand.RollbackRename(txid, clock.getAsLong());
        return partitions.apply(dstPartition).submit(command).thenApply(reply -> reply.error() == FsError.ENOENT
                ? MetaReply.ok(new MetaResult.Done()) : reply);
    }
}
