package io.camber.meta.partition;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.PartitionStats;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How inodes are born and die in a partition, shared by the namespace commands and the rename transaction:
 * ids come from the range in order and are never reused; a file whose last name goes becomes an orphan that
 * keeps its data until GC; a removed directory (never holding data) goes at once.
 */
final class InodeLifecycle {
    private InodeLifecycle() {
    }

    /** A new inode from this partition's range, stored and counted; ENOSPC once the range is used up. */
    static Inode allocate(PartitionView view, long parent, int mode, int uid, int gid, long rdev, String symlink,
                          long time) {
        FileType type = FileType.of(mode);
        if (type == FileType.SYMLINK) {
            NameRules.checkSymlinkTarget(symlink);
        } else if (symlink != null) {
            throw FsException.of(FsError.EINVAL, "only a symlink has a target: clear it or set S_IFLNK in mode");
        }
        PartitionStats s = view.stats();
        if (s.nextIno() >= s.end()) {
            throw FsException.of(FsError.ENOSPC, "partition " + s.partitionId() + " has used every inode id of ["
                    + s.start() + ", " + s.end() + "): create in a partition with free ids");
        }
        long size = symlink == null ? 0 : symlink.getBytes(StandardCharsets.UTF_8).length;
        int nlink = type == FileType.DIRECTORY ? 2 : 1;
        Inode inode = new Inode(s.nextIno(), mode, uid, gid, nlink, size, time, time, time, rdev, parent, symlink,
                List.of());
        view.putInode(inode);
        view.putStats(new PartitionStats(s.fsId(), s.partitionId(), s.start(), s.end(), s.nextIno() + 1,
                s.inodesUsed() + 1, s.bytesUsed()));
        return inode;
    }

    /** Drops one link of a non-directory; at zero it becomes an orphan for GC. Returns the updated inode. */
    static Inode dropLink(PartitionView view, Inode inode, long time) {
        Inode next = inode.withNlink(Math.max(0, inode.nlink() - 1), time);
        view.putInode(next);
        if (next.nlink() == 0) {
            view.put(PartitionSchema.DELETED, PartitionSchema.id(inode.ino()), PartitionSchema.id(time));
        }
        return next;
    }

    /** Deletes a directory inode (and its xattrs); the caller has checked that it is empty. */
    static void removeDirectory(PartitionView view, Inode dir) {
        view.deleteInode(dir.ino());
        PartitionStats s = view.stats();
        view.putStats(new PartitionStats(s.fsId(), s.partitionId(), s.start(), s.end(), s.nextIno(),
                s.inodesUsed() - 1, s.bytesUsed()));
    }

    /** Records a change in a directory of this partition: mtime and ctime, and its link count for subdirs. */
    static void touchDirectory(PartitionView view, long dirIno, int nlinkDelta, long time) {
        Inode dir = view.inode(dirIno);
        view.putInode(dir.withNlink(dir.nlink() + nlinkDelta, time).modified(time));
    }

    /** Adds delta to the volume bytes the partition has allocated (space waiting for GC included). */
    static void addBytes(PartitionView view, long delta) {
        if (delta == 0) {
            return;
        }
        PartitionStats s = view.stats();
        view.putStats(new PartitionStats(s.fsId(), s.partitionId(), s.start(), s.end(), s.nextIno(),
                s.inodesUsed(), s.bytesUsed() + delta));
    }

    /**
     * Refuses moving directory ino under newParent when newParent is ino or below it, as far as this partition can
     * tell: it walks ".." up while the ancestors are its own; an ancestor elsewhere ends the walk.
     */
    static void checkNotIntoItself(PartitionView view, long ino, long newParent) {
        long at = newParent;
        for (int depth = 0; depth < 4096; depth++) {
            if (at == ino) {
                throw FsException.of(FsError.EINVAL, "cannot move directory " + ino + " into its own subtree");
            }
            Inode inode = view.owns(at) ? view.inode(at) : null;
            if (inode == null || inode.parent() == at || inode.parent() == 0) {
                return;
            }
            at = inode.parent();
        }
    }
}
