package io.camber.client.fs;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A file's space through its partition: AllocateExtents in pieces the partition takes, AddExtents for the size,
 * WriteInline for a small file's bytes.
 */
final class PartitionFileSpace implements FileSpace {
    private final MetaRouter router;

    PartitionFileSpace(MetaRouter router) {
        this.router = router;
    }

    @Override
    public CompletableFuture<List<Extent>> allocate(long ino, long offset, long length) {
        long from = DataLayout.blockFloor(offset);
        long to = DataLayout.blockCeil(offset + length);
        CompletableFuture<List<Extent>> all = CompletableFuture.completedFuture(new ArrayList<>());
        // One command per MAX_ALLOCATION: the partition refuses more, to keep a command and its reply small.
        for (long at = from; at < to; at += DataLayout.MAX_ALLOCATION) {
            long piece = Math.min(DataLayout.MAX_ALLOCATION, to - at);
            long start = at;
            all = all.thenCompose(got -> router.submit(ino, new MetaCommand.AllocateExtents(ino, start, piece,
                    router.now())).thenApply(r -> {
                        got.addAll(MetaRouter.as(MetaResult.Allocated.class, r).extents());
                        return got;
                    }));
        }
        return all;
    }

    @Override
    public CompletableFuture<Inode> written(long ino, long minSize, byte[] movedInline) {
        return router.submit(ino, new MetaCommand.AddExtents(ino, List.of(), minSize, router.now(), movedInline))
                .thenApply(r -> MetaRouter.as(MetaResult.Attr.class, r).inode());
    }

    @Override
    public CompletableFuture<Inode> writeInline(long ino, long offset, byte[] data) {
        return router.submit(ino, new MetaCommand.WriteInline(ino, offset, data, router.now()))
                .thenApply(r -> MetaRouter.as(MetaResult.Attr.class, r).inode());
    }

    @Override
    public CompletableFuture<Boolean> keepIfOrphan(long ino) {
        return current(ino).thenCompose(inode -> inode.nlink() != 0 ? CompletableFuture.completedFuture(false)
                : router.submit(ino, new MetaCommand.KeepOrphan(ino, router.now())).thenApply(r -> true));
    }

    @Override
    public CompletableFuture<Inode> current(long ino) {
        return router.query(ino, new MetaQuery.GetAttr(ino)).thenApply(r -> MetaRouter.as(MetaResult.Attr.class, r)
                .inode());
    }
}
