package io.camber.client.fs;

import io.camber.common.api.PartitionInfo;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * New names: create, mknod, mkdir and symlink, in the parent's partition while it has inode ids (one atomic
 * command), else with the inode from a partition that has some (MakeInode there, then AddDentry in the parent's);
 * and hard links, across partitions through AdjustLinks on the inode's partition then AddDentry. Halves run inode
 * first, so a crash between them leaves an inode without a name for GC, never a name without an inode.
 */
final class NodeCreation {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCreation.class);
    /** Partitions tried for one create: each further one is a partition the MDS added because the last filled. */
    private static final int MAX_SPILLS = 4;

    private final MetaRouter router;

    NodeCreation(MetaRouter router) {
        this.router = router;
    }

    /** A new node of the type in mode; symlink is the target of a symlink, null otherwise. */
    CompletableFuture<Inode> create(long parent, String name, int mode, int uid, int gid, long rdev,
                                    String symlink) {
        NameRules.checkName(name);
        FileType.of(mode);
        return router.holding(parent).thenCompose(home -> {
            if (router.partitions().isFull(home.partitionId())) {
                return elsewhere(home, home.partitionId(), parent, name, mode, uid, gid, rdev, symlink, 0);
            }
            return router.submit(home, new MetaCommand.MakeNode(parent, name, mode, uid, gid, rdev, symlink,
                            router.now()))
                    .thenApply(r -> MetaRouter.as(MetaResult.Attr.class, r).inode())
                    .exceptionallyCompose(e -> FsErrors.is(e, FsError.ENOSPC)
                            ? elsewhere(home, home.partitionId(), parent, name, mode, uid, gid, rdev, symlink, 0)
                            : CompletableFuture.failedFuture(e));
        });
    }

    private CompletableFuture<Inode> elsewhere(PartitionInfo home, int full, long parent, String name, int mode,
                                               int uid, int gid, long rdev, String symlink, int spills) {
        if (spills >= MAX_SPILLS) {
            return CompletableFuture.failedFuture(FsException.of(FsError.ENOSPC, "no partition with free inode ids "
                    + "after " + spills + " tries: check that the MDS can place partitions (camber fs describe)"));
        }
        return router.partitions().spillOver(full).thenCompose(target -> router.submit(target,
                        new MetaCommand.MakeInode(parent, mode, uid, gid, rdev, symlink, router.now()))
                .thenCompose(r -> name(home, target, parent, name, MetaRouter.as(MetaResult.Attr.class, r).inode()))
                .exceptionallyCompose(e -> FsErrors.is(e, FsError.ENOSPC)
                        ? elsewhere(home, target.partitionId(), parent, name, mode, uid, gid, rdev, symlink, spills + 1)
                        : CompletableFuture.failedFuture(e)));
    }

    /** The second half: the name in the parent's partition; when refused, the nameless inode is let go at once. */
    private CompletableFuture<Inode> name(PartitionInfo home, PartitionInfo target, long parent, String name,
                                          Inode inode) {
        return router.submit(home, new MetaCommand.AddDentry(parent, name, inode.ino(), inode.type(), router.now()))
                .thenApply(done -> inode)
                .exceptionallyCompose(e -> router.submit(target, new MetaCommand.AdjustLinks(inode.ino(),
                                -inode.nlink(), router.now()))
                        .handle((undone, undoFailed) -> {
                            if (undoFailed != null) {
                                LOG.warn("event=fs_nameless_inode_left ino={} partition={} cause={}", inode.ino(),
                                        target.partitionId(), undoFailed.toString());
                            }
                            throw FsErrors.rethrow(e);
                        }));
    }

    /** A hard link; answers the inode with its raised link count. */
    CompletableFuture<Inode> link(long ino, long newParent, String newName) {
        NameRules.checkName(newName);
        return router.holding(newParent).thenCompose(home -> router.holding(ino).thenCompose(owner -> {
            if (owner.partitionId() == home.partitionId()) {
                return router.submit(home, new MetaCommand.Link(ino, newParent, newName, router.now()))
                        .thenApply(r -> MetaRouter.as(MetaResult.Attr.class, r).inode());
            }
            return router.query(owner, new MetaQuery.GetAttr(ino)).thenCompose(r -> {
                Inode inode = MetaRouter.as(MetaResult.Attr.class, r).inode();
                if (inode.isDirectory()) {
                    throw FsException.of(FsError.EPERM, "directories cannot be hard-linked");
                }
                return router.submit(owner, new MetaCommand.AdjustLinks(ino, 1, router.now()));
            }).thenCompose(r -> {
                Inode linked = MetaRouter.as(MetaResult.Attr.class, r).inode();
                return router.submit(home, new MetaCommand.AddDentry(newParent, newName, ino, linked.type(),
                                router.now()))
                        .thenApply(done -> linked)
                        .exceptionallyCompose(e -> router.submit(owner, new MetaCommand.AdjustLinks(ino, -1,
                                router.now())).handle((undone, undoFailed) -> {
                                    throw FsErrors.rethrow(e);
                                }));
            });
        }));
    }
}
