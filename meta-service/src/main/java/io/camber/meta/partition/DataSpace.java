package io.camber.meta.partition;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.ExtentMap;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.RecordCodec;

import java.util.List;

/**
 * Space on the data volume for the files of this partition: AllocateExtents hands out blocks for the holes of a
 * range, ReleaseSpace takes back what GC has trimmed. Every allocated block is referenced by exactly one extent of
 * one inode or by one GC record until it is released, and the partition's bytesUsed counts those blocks.
 */
final class DataSpace {
    /** Largest file offset served: keeps offset arithmetic far from overflow. */
    static final long MAX_FILE_END = 1L << 62;

    private final PartitionView view;

    DataSpace(PartitionView view) {
        this.view = view;
    }

    MetaResult allocate(MetaCommand.AllocateExtents c) {
        Inode inode = requireRegular(view.requireInode(c.ino()));
        if (c.fileOffset() < 0 || c.length() <= 0 || c.length() > DataLayout.MAX_ALLOCATION
                || c.fileOffset() > MAX_FILE_END - c.length()) {
            throw FsException.of(FsError.EINVAL, "cannot allocate " + c.length() + " bytes at file offset "
                    + c.fileOffset() + ": ask for 1 to " + DataLayout.MAX_ALLOCATION + " bytes at offsets 0 to "
                    + MAX_FILE_END + " (split larger ranges)");
        }
        long from = DataLayout.blockFloor(c.fileOffset());
        long to = DataLayout.blockCeil(c.fileOffset() + c.length());
        ExtentMap map = new ExtentMap(inode.extents());
        List<long[]> holes = map.holes(from, to);
        long need = holes.stream().mapToLong(h -> h[1] - h[0]).sum();
        if (need > 0) {
            Extent before = map.endingAt(holes.get(0)[0]);
            List<FreeSpace.Run> runs = new FreeSpace(view).allocate(need, before == null ? -1 : before.volumeEnd());
            fill(map, holes, runs);
            view.putInode(inode.withExtents(map.extents(), c.time()));
            InodeLifecycle.addBytes(view, need);
        }
        List<Extent> covering = map.overlapping(from, to).stream().map(e -> e.slice(from, to)).toList();
        return new MetaResult.Allocated(covering, need);
    }

    /** Lays the runs over the holes in file order; their total lengths are equal. */
    private static void fill(ExtentMap map, List<long[]> holes, List<FreeSpace.Run> runs) {
        int r = 0;
        long runAt = runs.get(0).offset();
        long runLeft = runs.get(0).length();
        for (long[] hole : holes) {
            long at = hole[0];
            while (at < hole[1]) {
                if (runLeft == 0) {
                    r++;
                    runAt = runs.get(r).offset();
                    runLeft = runs.get(r).length();
                }
                long take = Math.min(hole[1] - at, runLeft);
                map.addMerged(new Extent(at, runAt, take));
                at += take;
                runAt += take;
                runLeft -= take;
            }
        }
    }

    MetaResult release(MetaCommand.ReleaseSpace c) {
        List<Extent> held;
        byte[] key;
        Inode orphan = null;
        if (c.index() == MetaCommand.ReleaseSpace.ORPHAN) {
            key = PartitionSchema.id(c.ino());
            orphan = view.get(PartitionSchema.DELETED, key) == null ? null : view.inode(c.ino());
            held = orphan == null ? null : orphan.extents();
        } else {
            key = PartitionSchema.idAndIndex(c.ino(), c.index());
            byte[] v = view.get(PartitionSchema.DELETED, key);
            held = v == null ? null : RecordCodec.decode(v, MetaResult.DeletedExtents.class).extents();
        }
        if (held == null) {
            throw FsException.of(FsError.ENOENT, "inode " + c.ino() + " has no GC record at index " + c.index()
                    + ": another GC pass released it already");
        }
        if (!held.equals(c.extents())) {
            throw FsException.of(FsError.EAGAIN, "the GC record of inode " + c.ino() + " changed since it was listed:"
                    + " list it again, trim what it holds now and release that");
        }
        FreeSpace space = new FreeSpace(view);
        long bytes = 0;
        for (Extent e : held) {
            space.release(e.volumeOffset(), e.length());
            bytes += e.length();
        }
        view.delete(PartitionSchema.DELETED, key);
        if (orphan != null) {
            view.deleteInode(c.ino());
            PartitionStats s = view.stats();
            view.putStats(new PartitionStats(s.fsId(), s.partitionId(), s.start(), s.end(), s.nextIno(),
                    s.inodesUsed() - 1, s.bytesUsed()));
        }
        InodeLifecycle.addBytes(view, -bytes);
        return new MetaResult.Done();
    }

    static Inode requireRegular(Inode inode) {
        if (inode.isDirectory()) {
            throw FsException.of(FsError.EISDIR, "inode " + inode.ino() + " is a directory and holds no data");
        }
        if (inode.type() != FileType.REGULAR) {
            throw FsException.of(FsError.EINVAL, "inode " + inode.ino() + " is a " + inode.type()
                    + " and holds no data");
        }
        return inode;
    }
}
