package io.camber.meta.protocol;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.Inode;

import java.util.List;

/** What a successful operation answers, by kind. */
public sealed interface MetaResult {

    /** Nothing beyond success. */
    record Done() implements MetaResult {
    }

    /** An inode's attributes (lookup, getattr, create, setattr...). */
    record Attr(Inode inode) implements MetaResult {
    }

    /** A name found by lookup; attr is null when the inode lives in another partition. */
    record Found(Entry entry) implements MetaResult {
    }

    /**
     * One page of a directory. Entries of children whose inode lives in this partition carry its attributes;
     * the others carry null and the caller asks the partition of their inode.
     */
    record Listing(List<Entry> entries, boolean more) implements MetaResult {
    }

    /** A directory entry in a listing. */
    record Entry(String name, long ino, FileType type, Inode attr) {
    }

    /** Bytes: an xattr value or a symlink target (UTF-8). */
    record Value(byte[] value) implements MetaResult {
    }

    /** Names: xattr names. */
    record Names(List<String> names) implements MetaResult {
    }

    /** The partition's range and counters. */
    record Stats(PartitionStats stats) implements MetaResult {
    }

    /**
     * An inode in another partition that lost a name here (a rename replaced its last name here): the caller
     * sends {@link MetaCommand.AdjustLinks} with -1 to that inode's partition. 0 when there is none.
     */
    record Unlinked(long ino) implements MetaResult {
    }

    /** The state of one cross-partition rename here. */
    record Rename(RenameIntent intent) implements MetaResult {
    }

    /** Renames still pending here. */
    record Renames(List<RenameIntent> intents) implements MetaResult {
    }

    /**
     * Orphaned inodes and inodes with freed extents, for GC. orphanedAt holds, for each orphan in the same order, when
     * its last name went (nanoseconds since the epoch, the time of that command), so GC can leave recent orphans to
     * the handles that may still have them open.
     */
    record Deleted(List<Long> orphans, List<DeletedExtents> freed, List<Long> orphanedAt) implements MetaResult {
    }

    /** Extents cut from ino's map (truncate, replace) whose volume space GC trims and then releases. */
    record DeletedExtents(long ino, long index, List<io.camber.meta.fs.Extent> extents) {
    }

    /**
     * The space of a file range after AllocateExtents: the extents covering it in file order (old and new), and how
     * many bytes this command took from the free space.
     */
    record Allocated(List<io.camber.meta.fs.Extent> extents, long newBytes) implements MetaResult {
    }
}
