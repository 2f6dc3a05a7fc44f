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
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The client side of a rename between two partitions (docs/architecture.md, "Cross-partition rename"): prepare
 * the source (the primary) then the target, commit the primary (the rename happens here), then the target, then
 * let the primary forget. {@link #resolve} finishes what a crashed client left, from either partition.
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

    /** Runs the whole rename; the reply of the first step that failed, or OK. */
    public MetaReply rename(int srcPartition, long srcParent, String srcName, int dstPartition, long dstParent,
                            String dstName) {
        String txid = UUID.randomUUID().toString();
        MetaReply prepared = prepare(txid, srcPartition, srcParent, srcName, dstPartition, dstParent, dstName);
        if (!prepared.isOk()) {
            return prepared;
        }
        return commit(new Prepared(txid, srcPartition, dstPartition));
    }

    /** Prepares both halves; if the target refuses, the source is rolled back and the target's reply returned. */
    public MetaReply prepare(String txid, int srcPartition, long srcParent, String srcName, int dstPartition,
                             long dstParent, String dstName) {
        PartitionClient src = partitions.apply(srcPartition);
        MetaReply source = src.submitAndWait(new MetaCommand.PrepareRenameSource(txid, srcParent, srcName, dstParent,
                dstName, dstPartition, clock.getAsLong()));
        if (!source.isOk()) {
            return source;
        }
        RenameIntent intent = ((MetaResult.Rename) source.result()).intent();
        MetaReply target = partitions.apply(dstPartition).submitAndWait(new MetaCommand.PrepareRenameTarget(txid,
                srcParent, srcName, dstParent, dstName, intent.ino(), intent.type(), srcPartition, clock.getAsLong()));
        if (!target.isOk()) {
            src.submitAndWait(new MetaCommand.RollbackRename(txid, clock.getAsLong()));
        }
        return target;
    }

    /** Commits the primary, then the target, then forgets; a crash between them is finished by {@link #resolve}. */
    public MetaReply commit(Prepared p) {
        MetaReply primary = partitions.apply(p.srcPartition()).submitAndWait(new MetaCommand.CommitRename(p.txid(),
                clock.getAsLong()));
        if (!primary.isOk()) {
            return primary;
        }
        MetaReply target = finishTarget(p.txid(), p.dstPartition(), true);
        if (target.isOk()) {
            partitions.apply(p.srcPartition()).submitAndWait(new MetaCommand.ForgetRename(p.txid()));
        }
        return target;
    }

    /**
     * Finishes every rename the partition holds prepared and its client has abandoned: a target half follows its
     * primary's outcome (asking the primary to decide, which aborts a rename older than the ttl); a primary's own
     * expired prepare is aborted and its target rolled back. Returns the txids it finished; a partition that does not
     * answer (no leader) is skipped, for the next run to finish.
     */
    public List<String> resolve(int partitionId) {
        MetaReply pending = partitions.apply(partitionId).queryAndWait(new MetaQuery.PendingRenames(1000));
        List<String> finished = new ArrayList<>();
        if (!pending.isOk()) {
            return finished;
        }
        for (RenameIntent intent : ((MetaResult.Renames) pending.result()).intents()) {
            int primary = intent.role() == RenameIntent.Role.SOURCE ? partitionId : intent.peerPartition();
            int target = intent.role() == RenameIntent.Role.SOURCE ? intent.peerPartition() : partitionId;
            MetaReply decided = partitions.apply(primary).submitAndWait(new MetaCommand.ResolveRename(intent.txid(),
                    clock.getAsLong(), ttlNanos));
            if (!decided.isOk()) {
                continue;
            }
            RenameIntent.State outcome = ((MetaResult.Rename) decided.result()).intent().state();
            if (outcome == RenameIntent.State.PREPARED) {
                continue; // its client may still be at work: leave it until the ttl runs out
            }
            boolean committed = outcome == RenameIntent.State.COMMITTED;
            if (finishTarget(intent.txid(), target, committed).isOk()) {
                if (committed) {
                    // An abort stays recorded on the primary: a dead client's delayed prepare or commit of this
                    // txid must keep finding it refused.
                    partitions.apply(primary).submitAndWait(new MetaCommand.ForgetRename(intent.txid()));
                }
                finished.add(intent.txid());
            }
        }
        return finished;
    }

    /**
     * Commits or rolls back the target half; a target that no longer knows the txid has finished already. A commit
     * that replaced a name whose inode lives in a third partition answers {@link MetaResult.Unlinked}: that link
     * count is owed to the inode's partition, which the caller finds through placement (not built yet).
     */
    private MetaReply finishTarget(String txid, int dstPartition, boolean commit) {
        PartitionClient dst = partitions.apply(dstPartition);
        MetaReply reply = dst.submitAndWait(commit ? new MetaCommand.CommitRename(txid, clock.getAsLong())
                : new MetaCommand.RollbackRename(txid, clock.getAsLong()));
        if (reply.error() == FsError.ENOENT) {
            return MetaReply.ok(new MetaResult.Done());
        }
        return reply;
    }
}
