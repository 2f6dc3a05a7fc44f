package io.camber.client.fs;

import io.camber.common.api.PartitionInfo;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Names going away: unlink and rmdir in the parent's partition, and the link count owed to an inode of another
 * partition when a name of it went (an unlink, or a rename that replaced it). The name goes first, so a crash
 * before the count drops leaves an inode with one link too many (a leak for GC), never a name without an inode.
 */
final class NameRemoval {
    private static final Logger LOG = LoggerFactory.getLogger(NameRemoval.class);

    private final MetaRouter router;

    NameRemoval(MetaRouter router) {
        this.router = router;
    }

    CompletableFuture<Void> unlink(long parent, String name) {
        NameRules.checkName(name);
        return router.submit(parent, new MetaCommand.Unlink(parent, name, router.now()))
                .thenCompose(this::settleUnlinked);
    }

    /**
     * Removes an empty directory: one command when it lives in its name's partition; else (EXDEV) the directory
     * goes first in its own partition, which checks it is empty atomically, then its name.
     */
    CompletableFuture<Void> rmdir(long parent, String name) {
        NameRules.checkName(name);
        return router.holding(parent).thenCompose(home -> router.submit(home,
                        new MetaCommand.Rmdir(parent, name, router.now()))
                .<Void>thenApply(r -> null)
                .exceptionallyCompose(e -> FsErrors.is(e, FsError.EXDEV) ? rmdirElsewhere(home, parent, name)
                        : CompletableFuture.failedFuture(e)));
    }

    private CompletableFuture<Void> rmdirElsewhere(PartitionInfo home, long parent, String name) {
        return router.query(home, new MetaQuery.Lookup(parent, name)).thenCompose(found -> {
            long dir = MetaRouter.as(MetaResult.Found.class, found).entry().ino();
            return router.submit(dir, new MetaCommand.RemoveDirectory(dir, router.now()))
                    .thenCompose(removed -> router.submit(home, new MetaCommand.RemoveDentry(parent, name, dir,
                            router.now())))
                    .<Void>thenApply(r -> null)
                    // Renamed or removed by someone else between the halves: the directory is gone either way.
                    .exceptionallyCompose(e -> FsErrors.is(e, FsError.ENOENT) ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.failedFuture(e));
        });
    }

    /**
     * Sends the link count a removed name owed to its inode's partition. The name is gone whatever happens here,
     * so a failure is logged (the inode keeps a link too many until a GC scan) and not the caller's error.
     */
    CompletableFuture<Void> settleUnlinked(MetaResult result) {
        if (!(result instanceof MetaResult.Unlinked unlinked) || unlinked.ino() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return router.submit(unlinked.ino(), new MetaCommand.AdjustLinks(unlinked.ino(), -1, router.now()))
                .handle((adjusted, e) -> {
                    if (e != null) {
                        LOG.warn("event=fs_link_count_owed ino={} cause={}", unlinked.ino(), e.toString());
                    }
                    return null;
                });
    }
}
