package io.camber.client.fs;

import io.camber.common.api.PartitionInfo;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;

import java.util.concurrent.CompletableFuture;

/**
 * POSIX rename over partitions: one atomic command when both directories are in one partition, else the
 * two-phase {@link io.camber.meta.client.CrossPartitionRename} with the source partition as primary. A directory
 * is first checked not to move into its own subtree along the whole ".." chain, which a partition can only do
 * for the ancestors it holds.
 */
final class RenameRouting {
    /** Deeper than any real tree: a longer ".." chain means a loop, which the walk must not follow for ever. */
    private static final int MAX_DEPTH = 4096;

    private final MetaRouter router;
    private final NameRemoval removal;

    RenameRouting(MetaRouter router, NameRemoval removal) {
        this.router = router;
        this.removal = removal;
    }

    CompletableFuture<Void> rename(long parent, String name, long newParent, String newName) {
        NameRules.checkName(name);
        NameRules.checkName(newName);
        return router.holding(parent).thenCompose(src -> router.holding(newParent).thenCompose(dst ->
                router.query(src, new MetaQuery.Lookup(parent, name)).thenCompose(found -> {
                    MetaResult.Entry moved = MetaRouter.as(MetaResult.Found.class, found).entry();
                    CompletableFuture<Void> checked = moved.type() == FileType.DIRECTORY && parent != newParent
                            ? notIntoItself(moved.ino(), newParent, newParent, 0)
                            : CompletableFuture.completedFuture(null);
                    return checked.thenCompose(ok -> move(src, parent, name, dst, newParent, newName))
                            .thenCompose(renamed -> touchIfElsewhere(moved, src, dst));
                })));
    }

    private CompletableFuture<Void> move(PartitionInfo src, long parent, String name, PartitionInfo dst,
                                         long newParent, String newName) {
        if (src.partitionId() == dst.partitionId()) {
            return router.submit(src, new MetaCommand.Rename(parent, name, newParent, newName, router.now()))
                    .thenCompose(removal::settleUnlinked);
        }
        return router.retryingBusy(src, () -> router.renames().rename(src.partitionId(), parent, name,
                dst.partitionId(), newParent, newName)).thenCompose(removal::settleUnlinked);
    }

    /**
     * A rename changes the moved inode's ctime; the partitions of the two names do that for inodes they hold, so an
     * inode of a third partition is touched there (SetAttr with nothing selected sets only ctime). Directories are
     * left alone: their ".." would need a command of its own (docs/architecture.md, open ends).
     */
    private CompletableFuture<Void> touchIfElsewhere(MetaResult.Entry moved, PartitionInfo src, PartitionInfo dst) {
        if (moved.type() == FileType.DIRECTORY) {
            return CompletableFuture.completedFuture(null);
        }
        return router.holding(moved.ino()).thenCompose(owner -> owner.partitionId() == src.partitionId()
                || owner.partitionId() == dst.partitionId() ? CompletableFuture.completedFuture(null)
                : router.submit(owner, new MetaCommand.SetAttr(moved.ino(), 0, 0, 0, 0, 0, 0, 0, 0, router.now()))
                        .<Void>thenApply(r -> null)
                        // The rename happened; a ctime left behind is not worth failing it for.
                        .exceptionally(e -> null));
    }

    /** Fails with EINVAL when dir is at or above at on the ".." chain from at up to the root. */
    private CompletableFuture<Void> notIntoItself(long dir, long at, long newParent, int depth) {
        if (at == dir) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EINVAL, "cannot move directory " + dir
                    + " into its own subtree (under directory " + newParent + ")"));
        }
        if (at == io.camber.client.fs.CamberFs.ROOT || depth >= MAX_DEPTH) {
            return CompletableFuture.completedFuture(null);
        }
        return router.query(at, new MetaQuery.GetAttr(at)).thenCompose(r -> {
            long up = MetaRouter.as(MetaResult.Attr.class, r).inode().parent();
            return up == at ? CompletableFuture.<Void>completedFuture(null)
                    : notIntoItself(dir, up, newParent, depth + 1);
        });
    }
}
