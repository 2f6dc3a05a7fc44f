package io.camber.meta.gc;

import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.FsError;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One GC pass over one partition: lists what waits for GC (extents cut by truncates and replaced maps, orphaned
 * inodes past their grace), trims each record's space to zeros on the data volume, and only then releases it to the
 * partition's free space with ReleaseSpace, which refuses a record that changed meanwhile. A crash anywhere leaves
 * the record in place: trimming twice is harmless, releasing untrimmed space is impossible.
 */
public final class PartitionSpaceGc {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionSpaceGc.class);
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final PartitionClient partition;
    private final SpaceTrimmer trimmer;
    private final int recordsPerPass;
    private final long orphanGraceNanos;

    public PartitionSpaceGc(PartitionClient partition, SpaceTrimmer trimmer, int recordsPerPass,
                            long orphanGraceNanos) {
        this.partition = partition;
        this.trimmer = trimmer;
        this.recordsPerPass = recordsPerPass;
        this.orphanGraceNanos = orphanGraceNanos;
    }

    /** Runs one pass; answers how many bytes it returned to the free space. nowNanos dates the orphans' grace. */
    public long runOnce(long nowNanos) throws Exception {
        MetaResult.Deleted deleted = (MetaResult.Deleted) ok(partition.query(new MetaQuery.ListDeleted(recordsPerPass)),
                "ListDeleted").result();
        long fsId = partition.partition().fsId();
        long released = 0;
        for (MetaResult.DeletedExtents cut : deleted.freed()) {
            released += release(fsId, cut.ino(), cut.index(), cut.extents());
        }
        for (int i = 0; i < deleted.orphans().size(); i++) {
            long ino = deleted.orphans().get(i);
            if (nowNanos - deleted.orphanedAt().get(i) < orphanGraceNanos) {
                continue; // a handle may still have it open
            }
            MetaReply attr = partition.query(new MetaQuery.GetAttr(ino)).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!attr.isOk()) {
                continue; // released by a pass of a former leader meanwhile, or the leader moved: next pass
            }
            released += release(fsId, ino, MetaCommand.ReleaseSpace.ORPHAN,
                    ((MetaResult.Attr) attr.result()).inode().extents());
        }
        return released;
    }

    private long release(long fsId, long ino, long index, List<Extent> extents) throws Exception {
        trimmer.trim(fsId, extents);
        MetaReply reply = partition.submit(new MetaCommand.ReleaseSpace(ino, index, extents))
                .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (reply.error() == FsError.EAGAIN || reply.error() == FsError.ENOENT) {
            // Changed since listed (an unlinked file still written) or released already: the next pass sees it anew.
            LOG.info("event=space_release_skipped partition={} ino={} index={} error={}", partition.partition(), ino,
                    index, reply.error());
            return 0;
        }
        ok(java.util.concurrent.CompletableFuture.completedFuture(reply), "ReleaseSpace");
        long bytes = extents.stream().mapToLong(Extent::length).sum();
        LOG.info("event=space_released partition={} ino={} index={} extents={} bytes={}", partition.partition(), ino,
                index, extents.size(), bytes);
        return bytes;
    }

    private MetaReply ok(java.util.concurrent.CompletableFuture<MetaReply> call, String op) throws Exception {
        MetaReply reply = call.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!reply.isOk()) {
            throw new IllegalStateException(op + " on partition " + partition.partition() + " failed: "
                    + reply.error() + " " + reply.message());
        }
        return reply;
    }
}
