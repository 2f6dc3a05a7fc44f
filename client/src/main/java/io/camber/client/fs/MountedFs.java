package io.camber.client.fs;

import io.camber.common.api.PartitionInfo;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.MetaResult.Entry;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.SetAttrMask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One mounted file system: routes each call of {@link CamberFs} to the partition that holds what it touches (an
 * inode by its id's range, a name by its parent's) and runs the cross-partition halves where one command cannot
 * do it. Holds no metadata cache: every call asks the partition's leader, so two mounts see each other's
 * metadata changes at once (data follows close-to-open, see {@link FileHandles}).
 */
final class MountedFs implements CamberFs {
    private final MetaRouter router;
    private final NodeCreation creation;
    private final NameRemoval removal;
    private final RenameRouting renames;
    private final FileHandles files;

    MountedFs(MetaRouter router, FileHandles files) {
        this.router = router;
        this.creation = new NodeCreation(router);
        this.removal = new NameRemoval(router);
        this.renames = new RenameRouting(router, removal);
        this.files = files;
    }

    /** The file system's name and partitions as this mount last learnt them from the MDS. */
    io.camber.common.api.FsInfo describe() {
        return router.partitions().fs();
    }

    @Override
    public CompletableFuture<Inode> lookup(long parent, String name) {
        return FsErrors.guarded(() -> {
            NameRules.checkName(name);
            return router.query(parent, new MetaQuery.Lookup(parent, name))
                    .thenCompose(r -> withAttr(MetaRouter.as(MetaResult.Found.class, r).entry()))
                    .thenApply(Entry::attr);
        });
    }

    @Override
    public CompletableFuture<Inode> getattr(long ino) {
        return router.query(ino, new MetaQuery.GetAttr(ino)).thenApply(r -> MetaRouter.as(MetaResult.Attr.class, r)
                .inode());
    }

    @Override
    public CompletableFuture<Inode> setattr(long ino, AttrChange change) {
        boolean resizing = (change.mask() & SetAttrMask.SIZE) != 0;
        // A size change must not be overtaken by bytes still buffered in this mount's handles of the file, and a
        // file growing over the rest of its last block must find zeros there.
        CompletableFuture<Void> ready = !resizing ? CompletableFuture.completedFuture(null)
                : files.flushAll(ino).thenCompose(flushed -> getattr(ino)).thenCompose(inode ->
                        inode.type() == io.camber.meta.fs.FileType.REGULAR
                                ? files.beforeGrowing(inode, change.size()) : CompletableFuture.completedFuture(null));
        return ready.thenCompose(done -> router.submit(ino, new MetaCommand.SetAttr(ino, change.mask(),
                change.mode(), change.uid(), change.gid(), change.atimeNanos(), change.mtimeNanos(), 0, change.size(),
                router.now()))).thenApply(r -> {
                    Inode changed = MetaRouter.as(MetaResult.Attr.class, r).inode();
                    files.resized(changed);
                    return changed;
                });
    }

    @Override
    public CompletableFuture<Inode> join(long target, List<Long> sources) {
        CompletableFuture<?>[] flushes = sources.stream().map(files::flushAll).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(flushes).thenCompose(flushed -> router.submit(target,
                new MetaCommand.JoinFiles(target, List.copyOf(sources), router.now())))
                .thenApply(r -> MetaRouter.as(MetaResult.Attr.class, r).inode());
    }

    @Override
    public CompletableFuture<Inode> mknod(long parent, String name, int mode, long rdev, Caller caller) {
        return FsErrors.guarded(() -> {
            if (io.camber.meta.fs.FileType.of(mode) == io.camber.meta.fs.FileType.DIRECTORY
                    || io.camber.meta.fs.FileType.of(mode) == io.camber.meta.fs.FileType.SYMLINK) {
                throw FsException.of(FsError.EINVAL, "mknod makes files, fifos, sockets and devices: use mkdir or "
                        + "symlink for mode 0" + Integer.toOctalString(mode));
            }
            return creation.create(parent, name, mode, caller.uid(), caller.gid(), rdev, null);
        });
    }

    @Override
    public CompletableFuture<Inode> mkdir(long parent, String name, int mode, Caller caller) {
        return FsErrors.guarded(() -> creation.create(parent, name, io.camber.meta.fs.FileType.DIRECTORY.mode(mode),
                caller.uid(), caller.gid(), 0, null));
    }

    @Override
    public CompletableFuture<Inode> symlink(long parent, String name, String target, Caller caller) {
        return FsErrors.guarded(() -> {
            NameRules.checkSymlinkTarget(target);
            return creation.create(parent, name, io.camber.meta.fs.FileType.SYMLINK.mode(0777), caller.uid(),
                    caller.gid(), 0, target);
        });
    }

    @Override
    public CompletableFuture<String> readlink(long ino) {
        return router.query(ino, new MetaQuery.ReadLink(ino)).thenApply(r -> new String(
                MetaRouter.as(MetaResult.Value.class, r).value(), StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<Inode> link(long ino, long newParent, String newName) {
        return FsErrors.guarded(() -> creation.link(ino, newParent, newName));
    }

    @Override
    public CompletableFuture<Void> unlink(long parent, String name) {
        return FsErrors.guarded(() -> removal.unlink(parent, name));
    }

    @Override
    public CompletableFuture<Void> rmdir(long parent, String name) {
        return FsErrors.guarded(() -> removal.rmdir(parent, name));
    }

    @Override
    public CompletableFuture<Void> rename(long parent, String name, long newParent, String newName) {
        return FsErrors.guarded(() -> renames.rename(parent, name, newParent, newName));
    }

    @Override
    public CompletableFuture<List<Entry>> readdir(long dir, String after, int max) {
        if (max < 1) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EINVAL, "readdir max " + max
                    + " must be 1 or more"));
        }
        return router.query(dir, new MetaQuery.ReadDir(dir, after == null ? "" : after, max)).thenCompose(r -> {
            List<CompletableFuture<Entry>> entries = MetaRouter.as(MetaResult.Listing.class, r).entries().stream()
                    .map(this::withAttr).toList();
            return CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new))
                    .thenApply(all -> entries.stream().map(CompletableFuture::join).toList());
        });
    }

    /** The entry with its attributes, asked of the inode's partition when the name's partition did not hold it. */
    private CompletableFuture<Entry> withAttr(Entry e) {
        if (e.attr() != null) {
            return CompletableFuture.completedFuture(e);
        }
        return getattr(e.ino()).thenApply(attr -> new Entry(e.name(), e.ino(), e.type(), attr));
    }

    @Override
    public CompletableFuture<FsUsage> statfs() {
        // Described again: partitions other mounts added count too, and the pool's capacity comes with it.
        return router.partitions().refresh().thenCompose(fs -> {
            List<CompletableFuture<PartitionStats>> asked = new ArrayList<>();
            for (PartitionInfo p : new PartitionMap(fs.partitions()).partitions()) {
                asked.add(router.query(p, new MetaQuery.StatFs()).thenApply(r -> MetaRouter.as(MetaResult.Stats.class,
                        r).stats()));
            }
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(all -> FsUsageSum.of(
                    asked.stream().map(CompletableFuture::join).toList(), fs.capacityBytes()));
        });
    }

    @Override
    public CompletableFuture<byte[]> getxattr(long ino, String name) {
        return FsErrors.guarded(() -> {
            NameRules.checkXattr(name, null);
            return router.query(ino, new MetaQuery.GetXattr(ino, name))
                    .thenApply(r -> MetaRouter.as(MetaResult.Value.class, r).value());
        });
    }

    @Override
    public CompletableFuture<List<String>> listxattr(long ino) {
        return router.query(ino, new MetaQuery.ListXattr(ino)).thenApply(r -> MetaRouter.as(MetaResult.Names.class,
                r).names());
    }

    @Override
    public CompletableFuture<Void> setxattr(long ino, String name, byte[] value, int flags) {
        return FsErrors.guarded(() -> {
            NameRules.checkXattr(name, value);
            return router.submit(ino, new MetaCommand.SetXattr(ino, name, value, flags, router.now()))
                    .thenApply(r -> null);
        });
    }

    @Override
    public CompletableFuture<Void> removexattr(long ino, String name) {
        return FsErrors.guarded(() -> {
            NameRules.checkXattr(name, null);
            return router.submit(ino, new MetaCommand.RemoveXattr(ino, name, router.now())).thenApply(r -> null);
        });
    }

    @Override
    public CompletableFuture<FileHandle> open(long ino, boolean write) {
        return getattr(ino).thenCompose(inode -> files.open(inode, write));
    }

    @Override
    public CompletableFuture<FileHandle> openCreated(Inode created, boolean write) {
        return files.open(created, write);
    }

    @Override
    public CompletableFuture<Inode> resolve(String path) {
        return FsErrors.guarded(() -> new PathWalk(this).walk(PathNames.components(path)));
    }

    @Override
    public void close() {
        files.close();
        router.partitions().close();
    }
}
