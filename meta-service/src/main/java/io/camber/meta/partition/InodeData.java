package io.camber.meta.partition;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.ExtentMap;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.RecordCodec;
import io.camber.meta.protocol.SetAttrMask;
import io.camber.meta.protocol.XattrFlags;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Changes to one inode of this partition: attributes, xattrs, the extent map, link counts changed from another
 * partition, and GC's purge. Extents cut away by a truncate or a replaced map are recorded in the deleted family
 * under the Raft index of the command, so GC can trim and release their volume space even after a crash.
 */
final class InodeData {
    private final PartitionView view;
    private final long index;

    InodeData(PartitionView view, long index) {
        this.view = view;
        this.index = index;
    }

    MetaResult setAttr(MetaCommand.SetAttr c) {
        Inode inode = view.requireInode(c.ino());
        int m = c.mask();
        int mode = has(m, SetAttrMask.MODE) ? (inode.mode() & FileType.TYPE_MASK) | (c.mode() & FileType.PERMISSION_MASK)
                : inode.mode();
        long ctime = has(m, SetAttrMask.CTIME) ? c.ctime() : c.time();
        Inode next = inode.withAttributes(mode, has(m, SetAttrMask.UID) ? c.uid() : inode.uid(),
                has(m, SetAttrMask.GID) ? c.gid() : inode.gid(), has(m, SetAttrMask.ATIME) ? c.atime() : inode.atime(),
                has(m, SetAttrMask.MTIME) ? c.mtime() : inode.mtime(), ctime);
        if (has(m, SetAttrMask.SIZE)) {
            next = truncate(next, c.size(), has(m, SetAttrMask.MTIME) ? c.mtime() : c.time(), ctime);
        }
        view.putInode(next);
        return new MetaResult.Attr(next);
    }

    private Inode truncate(Inode inode, long size, long mtime, long ctime) {
        requireRegular(inode);
        if (size < 0) {
            throw FsException.of(FsError.EINVAL, "size " + size + " is negative");
        }
        ExtentMap map = new ExtentMap(inode.extents());
        // The block holding the new end stays whole: space is handed out and freed in blocks. Its bytes past the
        // end are the client's to zero, as a local file system zeroes the tail of its last block.
        recordFreed(inode.ino(), map.truncate(DataLayout.blockCeil(size)));
        Inode resized = inode.withData(size, map.extents(), mtime);
        return resized.withAttributes(resized.mode(), resized.uid(), resized.gid(), resized.atime(), mtime, ctime);
    }

    MetaResult setXattr(MetaCommand.SetXattr c) {
        Inode inode = view.requireInode(c.ino());
        NameRules.checkXattr(c.name(), c.value());
        if (c.flags() == (XattrFlags.CREATE | XattrFlags.REPLACE) || (c.flags() & ~3) != 0) {
            throw FsException.of(FsError.EINVAL, "xattr flags " + c.flags() + " are invalid: use 0, CREATE or REPLACE");
        }
        byte[] key = PartitionSchema.idAndName(c.ino(), c.name());
        boolean exists = view.get(PartitionSchema.XATTRS, key) != null;
        if (exists && c.flags() == XattrFlags.CREATE) {
            throw FsException.of(FsError.EEXIST, "xattr " + c.name() + " already exists");
        }
        if (!exists && c.flags() == XattrFlags.REPLACE) {
            throw FsException.of(FsError.ENODATA, "xattr " + c.name() + " does not exist");
        }
        view.put(PartitionSchema.XATTRS, key, c.value() == null ? new byte[0] : c.value());
        view.putInode(inode.withCtime(c.time()));
        return new MetaResult.Done();
    }

    MetaResult removeXattr(MetaCommand.RemoveXattr c) {
        Inode inode = view.requireInode(c.ino());
        byte[] key = PartitionSchema.idAndName(c.ino(), c.name());
        if (view.get(PartitionSchema.XATTRS, key) == null) {
            throw FsException.of(FsError.ENODATA, "xattr " + c.name() + " does not exist");
        }
        view.delete(PartitionSchema.XATTRS, key);
        view.putInode(inode.withCtime(c.time()));
        return new MetaResult.Done();
    }

    MetaResult addExtents(MetaCommand.AddExtents c) {
        Inode inode = requireRegular(view.requireInode(c.ino()));
        List<Extent> notHeld = ExtentMap.minus(c.extents(), inode.extents());
        if (!notHeld.isEmpty()) {
            throw FsException.of(FsError.EINVAL, "extent " + notHeld.get(0) + " is not space inode " + c.ino()
                    + " holds: get space with AllocateExtents and send back the extents it answers");
        }
        // null against null: neither inline nor a move; otherwise the moved bytes must be the inode's own, now
        if (!Arrays.equals(inode.inline(), c.movedInline())) {
            throw FsException.of(FsError.EAGAIN, "inode " + c.ino() + "'s inline bytes are not the ones this write"
                    + " moved (it keeps bytes inline, or they changed or moved since): read it again and repeat the"
                    + " write");
        }
        Inode next = inode.withExtentData(Math.max(inode.size(), c.minSize()), inode.extents(), c.time());
        view.putInode(next);
        return new MetaResult.Attr(next);
    }

    MetaResult writeInline(MetaCommand.WriteInline c) {
        Inode inode = requireRegular(view.requireInode(c.ino()));
        long end = c.offset() + c.data().length;
        if (c.offset() < 0 || end > DataLayout.INLINE_MAX) {
            throw FsException.of(FsError.EINVAL, "inline write at " + c.offset() + "+" + c.data().length
                    + " is outside 0.." + DataLayout.INLINE_MAX + ": write larger files through their extents");
        }
        if (!inode.extents().isEmpty()) {
            throw FsException.of(FsError.EAGAIN, "inode " + c.ino() + " keeps its data in extents: read it again"
                    + " and write through AllocateExtents and AddExtents");
        }
        byte[] old = inode.isInline() ? inode.inline() : new byte[0];
        byte[] next = Arrays.copyOf(old, (int) Math.max(old.length, end)); // a gap reads as zeros, as before
        System.arraycopy(c.data(), 0, next, (int) c.offset(), c.data().length);
        Inode written = inode.withInline(next, Math.max(inode.size(), end), c.time());
        view.putInode(written);
        return new MetaResult.Attr(written);
    }

    MetaResult replaceExtents(MetaCommand.ReplaceExtents c) {
        Inode inode = requireRegular(view.requireInode(c.ino()));
        ExtentMap map = new ExtentMap(List.of());
        for (Extent e : c.extents()) {
            if (!e.blockAligned()) {
                throw FsException.of(FsError.EINVAL, "extent " + e + " is not whole 4 KiB blocks: extents map"
                        + " whole blocks of space");
            }
            if (!map.write(e).isEmpty()) {
                throw FsException.of(FsError.EINVAL, "extents overlap at file offset " + e.fileOffset()
                        + ": send a map whose extents do not overlap");
            }
        }
        List<Extent> notHeld = ExtentMap.minus(c.extents(), inode.extents());
        if (!notHeld.isEmpty()) {
            throw FsException.of(FsError.EINVAL, "extent " + notHeld.get(0) + " is not space inode " + c.ino()
                    + " holds: a new map may only merge, split or drop the extents the inode has");
        }
        recordFreed(c.ino(), ExtentMap.minus(inode.extents(), c.extents()));
        // A rewrite by the data plane: the extents hold the file from now on, inline bytes or not.
        Inode next = inode.withExtentData(c.size(), map.extents(), c.time());
        view.putInode(next);
        return new MetaResult.Attr(next);
    }

    MetaResult joinFiles(MetaCommand.JoinFiles c) {
        Inode target = requireRegular(requireLocal(c.target()));
        if (target.size() != 0 || !target.extents().isEmpty() || target.isInline()) {
            throw FsException.of(FsError.EINVAL, "inode " + c.target() + " is not empty: files are joined into a new"
                    + " one");
        }
        if (c.sources().isEmpty() || c.sources().contains(c.target())
                || c.sources().stream().distinct().count() != c.sources().size()) {
            throw FsException.of(FsError.EINVAL, "join needs one or more distinct sources other than the target");
        }
        List<Inode> sources = new ArrayList<>();
        for (long ino : c.sources()) {
            Inode source = requireRegular(requireLocal(ino));
            if (source.isInline()) {
                throw FsException.of(FsError.EINVAL, "inode " + ino + " keeps its bytes inline: copy it instead");
            }
            if (sources.size() < c.sources().size() - 1 && source.size() % DataLayout.BLOCK != 0) {
                throw FsException.of(FsError.EINVAL, "inode " + ino + " is " + source.size() + " bytes, not whole 4 KiB"
                        + " blocks, and is not the last: the next file's blocks cannot start mid-block");
            }
            sources.add(source);
        }
        ExtentMap joined = new ExtentMap(List.of());
        long offset = 0;
        for (Inode source : sources) {
            ExtentMap own = new ExtentMap(source.extents());
            recordFreed(source.ino(), own.truncate(DataLayout.blockCeil(source.size()))); // allocated past its end
            for (Extent e : own.extents()) {
                joined.addMerged(new Extent(offset + e.fileOffset(), e.volumeOffset(), e.length()));
            }
            offset += source.size();
            view.putInode(source.withExtentData(0, List.of(), c.time()));
        }
        Inode next = target.withExtentData(offset, joined.extents(), c.time());
        view.putInode(next);
        return new MetaResult.Attr(next);
    }

    /** The inode, which must live in this partition: EXDEV otherwise, so the caller knows to copy instead. */
    private Inode requireLocal(long ino) {
        if (!view.owns(ino)) {
            throw FsException.of(FsError.EXDEV, "inode " + ino + " lives in another partition: files are joined"
                    + " within one partition only");
        }
        return view.requireInode(ino);
    }

    MetaResult fsync(MetaCommand.Fsync c) {
        view.requireInode(c.ino());
        return new MetaResult.Done();
    }

    MetaResult adjustLinks(MetaCommand.AdjustLinks c) {
        Inode inode = view.requireInode(c.ino());
        int nlink = inode.nlink() + c.delta();
        if (nlink < 0 || (inode.nlink() == 0 && c.delta() > 0)) {
            throw FsException.of(FsError.EINVAL, "link count of inode " + c.ino() + " is " + inode.nlink()
                    + " and cannot change by " + c.delta());
        }
        if (c.delta() < 0 && nlink == 0) {
            return new MetaResult.Attr(InodeLifecycle.dropLink(view, inode.withNlink(1, c.time()), c.time()));
        }
        Inode next = inode.withNlink(nlink, c.time());
        view.putInode(next);
        return new MetaResult.Attr(next);
    }

    /**
     * Dates an orphan's record anew, so GC's grace for handles still open on it starts again. Never backwards: a
     * renewal that arrives late, or from a mount whose clock lags another's, must not shorten a fresher one.
     */
    MetaResult keepOrphan(MetaCommand.KeepOrphan c) {
        Inode inode = view.requireInode(c.ino());
        byte[] key = PartitionSchema.id(c.ino());
        byte[] dated = view.get(PartitionSchema.DELETED, key);
        if (inode.nlink() != 0 || dated == null) {
            throw FsException.of(FsError.ENOENT, "inode " + c.ino() + " is not waiting for GC (it has a name, or"
                    + " GC released it already)");
        }
        if (c.time() > PartitionSchema.idOf(dated)) {
            view.put(PartitionSchema.DELETED, key, PartitionSchema.id(c.time()));
        }
        return new MetaResult.Done();
    }

    MetaResult purgeDeleted(MetaCommand.PurgeDeleted c) {
        boolean[] found = {false};
        view.store().scan(PartitionSchema.DELETED, PartitionSchema.id(c.ino()), Integer.MAX_VALUE, (k, v) -> {
            found[0] = true;
            boolean holdsSpace = k.length == 16
                    ? !RecordCodec.decode(v, MetaResult.DeletedExtents.class).extents().isEmpty()
                    : orphan(c.ino()).allocatedBytes() > 0;
            if (holdsSpace) {
                throw FsException.of(FsError.EINVAL, "inode " + c.ino() + " still holds space on the data volume:"
                        + " GC trims it and returns it with ReleaseSpace, which drops the record");
            }
        });
        if (!found[0]) {
            throw FsException.of(FsError.ENOENT, "inode " + c.ino() + " has nothing waiting for GC");
        }
        view.store().scan(PartitionSchema.DELETED, PartitionSchema.id(c.ino()), Integer.MAX_VALUE, (k, v) -> {
            if (k.length != 16) {
                view.deleteInode(c.ino());
                PartitionStats s = view.stats();
                view.putStats(new PartitionStats(s.fsId(), s.partitionId(), s.start(), s.end(), s.nextIno(),
                        s.inodesUsed() - 1, s.bytesUsed()));
            }
            view.delete(PartitionSchema.DELETED, k);
        });
        return new MetaResult.Done();
    }

    private Inode orphan(long ino) {
        Inode orphan = view.inode(ino);
        if (orphan == null) {
            throw FsException.of(FsError.EIO, "orphan record of inode " + ino + " has no inode: the partition is"
                    + " inconsistent; compare its replicas");
        }
        return orphan;
    }

    private void recordFreed(long ino, List<Extent> freed) {
        if (freed.isEmpty()) {
            return;
        }
        byte[] key = PartitionSchema.idAndIndex(ino, index);
        byte[] before = view.get(PartitionSchema.DELETED, key);
        List<Extent> all = new ArrayList<>(freed);
        if (before != null) {
            all.addAll(0, RecordCodec.decode(before, MetaResult.DeletedExtents.class).extents());
        }
        view.put(PartitionSchema.DELETED, key, RecordCodec.encode(new MetaResult.DeletedExtents(ino, index, all)));
    }

    private static Inode requireRegular(Inode inode) {
        if (inode.isDirectory()) {
            throw FsException.of(FsError.EISDIR, "inode " + inode.ino() + " is a directory and holds no data");
        }
        if (inode.type() != FileType.REGULAR) {
            throw FsException.of(FsError.EINVAL, "inode " + inode.ino() + " is a " + inode.type()
                    + " and holds no data");
        }
        return inode;
    }

    private static boolean has(int mask, int bit) {
        return (mask & bit) != 0;
    }
}
