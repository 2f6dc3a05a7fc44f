package io.camber.meta.protocol;

import io.camber.meta.fs.Extent;
import io.camber.meta.fs.FileType;

import java.util.List;

/**
 * A change to a partition, replicated through its Raft log. Every time a command sets travels inside it
 * ({@code time}, nanoseconds since the epoch, chosen by the client), so every replica applies the same values.
 */
public sealed interface MetaCommand {

    /** Short name for metrics and logs. */
    default String op() {
        return getClass().getSimpleName();
    }

    /** Sets the inode-id range [start, end) of a new partition; the one holding id 1 creates the root directory. */
    record InitPartition(long fsId, int partitionId, long start, long end, int rootMode, int rootUid, int rootGid,
                         long time) implements MetaCommand {
    }

    /**
     * Creates a node in a directory of this partition with an inode from this partition's range: create and mknod
     * (regular, fifo, socket, devices), mkdir, symlink (with target). The type is in mode.
     */
    record MakeNode(long parent, String name, int mode, int uid, int gid, long rdev, String symlink, long time)
            implements MetaCommand {
    }

    /** Adds a hard link (parent, name) to an inode of this partition. */
    record Link(long ino, long parent, String name, long time) implements MetaCommand {
    }

    /** Removes a non-directory name; the last link makes the inode an orphan for GC. */
    record Unlink(long parent, String name, long time) implements MetaCommand {
    }

    /** Removes an empty directory. */
    record Rmdir(long parent, String name, long time) implements MetaCommand {
    }

    /** Renames within this partition, atomically, replacing a compatible target. */
    record Rename(long srcParent, String srcName, long dstParent, String dstName, long time) implements MetaCommand {
    }

    /** Changes the attributes selected by mask ({@link SetAttrMask}); a size change truncates or extends. */
    record SetAttr(long ino, int mask, int mode, int uid, int gid, long atime, long mtime, long ctime, long size,
                   long time) implements MetaCommand {
    }

    /** Sets an xattr; flags as setxattr(2): {@link XattrFlags#CREATE}, {@link XattrFlags#REPLACE} or 0. */
    record SetXattr(long ino, String name, byte[] value, int flags, long time) implements MetaCommand {
    }

    record RemoveXattr(long ino, String name, long time) implements MetaCommand {
    }

    /**
     * Records data written into space the inode holds: every extent must restate part of the inode's map (the
     * same file bytes on the same volume bytes; space is only ever handed out by {@link AllocateExtents}). The size
     * grows to at least minSize, mtime and ctime move to time. On a file whose bytes are inline, movedInline holds
     * the inline bytes the client wrote to the extents first: the data is in the extents from then on. Refused with
     * EAGAIN (the client's view is stale: read the inode again and repeat) when the file is inline and movedInline
     * is null, or movedInline is not exactly the inode's inline bytes (another client wrote or moved them since), so
     * inline bytes are never dropped unwritten and a move never commits older bytes.
     */
    record AddExtents(long ino, List<Extent> extents, long minSize, long time, byte[] movedInline)
            implements MetaCommand {
        public AddExtents(long ino, List<Extent> extents, long minSize, long time) {
            this(ino, extents, minSize, time, null);
        }
    }

    /**
     * Writes bytes of a small file into its inode ({@link io.camber.meta.fs.Inode#inline}): only while the file
     * holds no extents and the write ends within {@link io.camber.meta.fs.DataLayout#INLINE_MAX} (else EAGAIN: write
     * through the extents). Bytes between the old inline end and offset read as zeros; the size grows to at least
     * the write's end, mtime and ctime move to time.
     */
    record WriteInline(long ino, long offset, byte[] data, long time) implements MetaCommand {
    }

    /**
     * Replaces the whole extent map and size (compaction, a rewrite by the data plane): the new map may only restate
     * space the inode holds, merged or split at will; space it no longer maps goes to GC.
     */
    record ReplaceExtents(long ino, List<Extent> extents, long size, long time) implements MetaCommand {
    }

    /**
     * Moves the data of sources, in order, to the end of target without touching a byte of it (S3's Complete
     * Multipart): source i's extents land at the sum of the sizes before it, the sources are left empty (size 0, no
     * extents) and target's size is the sum. Every inode must be a regular file of this partition (else EXDEV:
     * copy instead); target must be empty, the sources distinct, none inline, and each but the last a whole number
     * of 4 KiB blocks (else EINVAL), since extents map whole blocks.
     */
    record JoinFiles(long target, List<Long> sources, long time) implements MetaCommand {
    }

    /** A barrier: once it commits, every change before it to this partition is committed too. */
    record Fsync(long ino) implements MetaCommand {
    }

    /** Cross-partition create, first half: an inode from this range with no name yet (nlink 1, 2 for a dir). */
    record MakeInode(long parent, int mode, int uid, int gid, long rdev, String symlink, long time)
            implements MetaCommand {
    }

    /** Cross-partition create or link, second half: a name here for an inode of another partition. */
    record AddDentry(long parent, String name, long ino, FileType type, long time) implements MetaCommand {
    }

    /** Changes the link count of an inode here whose name lives in another partition; 0 links makes it an orphan. */
    record AdjustLinks(long ino, int delta, long time) implements MetaCommand {
    }

    /**
     * Drops an orphaned inode that holds no space, with its GC record. Space is returned only by {@link ReleaseSpace},
     * once it reads as zeros, so a purge of an inode that still holds space is refused (EINVAL).
     */
    record PurgeDeleted(long ino) implements MetaCommand {
    }

    /** Cross-partition rename, on the partition of the source name (the primary, which decides the outcome). */
    record PrepareRenameSource(String txid, long srcParent, String srcName, long dstParent, String dstName,
                               int dstPartition, long time) implements MetaCommand {
    }

    /** Cross-partition rename, on the partition of the destination name. */
    record PrepareRenameTarget(String txid, long srcParent, String srcName, long dstParent, String dstName, long ino,
                               FileType type, int primaryPartition, long time) implements MetaCommand {
    }

    /** Applies a prepared rename's half here; on the primary this is the commit point of the whole rename. */
    record CommitRename(String txid, long time) implements MetaCommand {
    }

    /** Drops a prepared half; on the primary it also records the abort so a late prepare or commit is refused. */
    record RollbackRename(String txid, long time) implements MetaCommand {
    }

    /**
     * Asked of the primary by whoever finds a pending rename: the outcome, aborting the rename first when it was
     * prepared more than ttl nanoseconds before now (its client is presumed dead) or never reached the primary.
     */
    record ResolveRename(String txid, long now, long ttl) implements MetaCommand {
    }

    /** Forgets a finished rename's outcome on the primary once every half has been applied. */
    record ForgetRename(String txid) implements MetaCommand {
    }

    /**
     * Gives ino space for [fileOffset, fileOffset + length) where it has none: the holes, widened to whole 4 KiB
     * blocks, get space from this partition's slice of the data volume (one contiguous run when there is one,
     * continuing the extent before the hole when it can) and are recorded in the inode, merged with neighbouring
     * extents. Answers {@link MetaResult.Allocated} with the extents covering the whole (block-widened) range.
     * The size does not change: the client sets it once the data is written (AddExtents minSize or SetAttr).
     */
    record AllocateExtents(long ino, long fileOffset, long length, long time) implements MetaCommand {
    }

    /**
     * GC, after trimming the space to zeros on the data volume: returns extents to the partition's free space and
     * drops the GC record they came from, the extents cut from ino at Raft index {@code index}, or (index
     * {@link #ORPHAN}) the orphaned inode itself with its whole map. Refused (EAGAIN) unless the extents are exactly
     * what the record holds now, so space that changed after it was trimmed is never released untrimmed.
     */
    record ReleaseSpace(long ino, long index, List<Extent> extents) implements MetaCommand {
        /** The index naming an orphaned inode's record rather than a record of cut extents. */
        public static final long ORPHAN = -1;
    }

    /**
     * Cross-partition rmdir, first half, on the partition of the directory's inode: refuses a directory that is not
     * empty (ENOTEMPTY) or holds a name a rename is bringing in (EBUSY), else leaves it with no links, so no entry
     * can be created in it any more, and records it for GC. Repeating it on a directory already removed is a no-op.
     */
    record RemoveDirectory(long ino, long time) implements MetaCommand {
    }

    /**
     * Cross-partition rmdir, second half, on the partition of the name: drops the name of a directory of another
     * partition once that one removed it (RemoveDirectory). Refused unless (parent, name) still names ino.
     */
    record RemoveDentry(long parent, String name, long ino, long time) implements MetaCommand {
    }

    /**
     * Keeps an open file whose last name went (an orphan) from GC for another grace period: a mount that still has
     * it open sends this well within {@code camber.meta.gc.orphan-grace}, so its data stays readable until the last
     * close, however long that takes. ENOENT when ino has a name again or GC released it already.
     */
    record KeepOrphan(long ino, long time) implements MetaCommand {
    }
}
