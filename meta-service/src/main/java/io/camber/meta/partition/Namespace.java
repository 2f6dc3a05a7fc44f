package io.camber.meta.partition;

import io.camber.meta.fs.Dentry;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaResult;

/**
 * Name changes inside one partition: create, link, unlink, rmdir, rename, and the halves of a create or link whose
 * inode lives in another partition. A command here is atomic; one that would touch an inode of another partition
 * is refused with EXDEV so the client runs the cross-partition protocol instead.
 */
final class Namespace {
    private final PartitionView view;

    Namespace(PartitionView view) {
        this.view = view;
    }

    MetaResult makeNode(MetaCommand.MakeNode c) {
        prepareNewName(c.parent(), c.name());
        Inode inode = InodeLifecycle.allocate(view, c.parent(), c.mode(), c.uid(), c.gid(), c.rdev(), c.symlink(),
                c.time());
        view.putDentry(new Dentry(c.parent(), c.name(), inode.ino(), inode.type()));
        InodeLifecycle.touchDirectory(view, c.parent(), inode.isDirectory() ? 1 : 0, c.time());
        return new MetaResult.Attr(inode);
    }

    MetaResult makeInode(MetaCommand.MakeInode c) {
        return new MetaResult.Attr(InodeLifecycle.allocate(view, c.parent(), c.mode(), c.uid(), c.gid(), c.rdev(),
                c.symlink(), c.time()));
    }

    MetaResult addDentry(MetaCommand.AddDentry c) {
        if (view.owns(c.ino())) {
            throw FsException.of(FsError.EINVAL, "inode " + c.ino() + " is in this partition: use Link or MakeNode");
        }
        prepareNewName(c.parent(), c.name());
        view.putDentry(new Dentry(c.parent(), c.name(), c.ino(), c.type()));
        InodeLifecycle.touchDirectory(view, c.parent(), c.type() == FileType.DIRECTORY ? 1 : 0, c.time());
        return new MetaResult.Done();
    }

    MetaResult link(MetaCommand.Link c) {
        if (!view.owns(c.ino())) {
            throw FsException.of(FsError.EXDEV, "inode " + c.ino() + " lives in another partition: AdjustLinks there, "
                    + "then AddDentry here");
        }
        Inode inode = view.requireInode(c.ino());
        if (inode.isDirectory()) {
            throw FsException.of(FsError.EPERM, "directories cannot be hard-linked");
        }
        if (inode.nlink() == 0) {
            throw FsException.of(FsError.ENOENT, "inode " + c.ino() + " was unlinked");
        }
        prepareNewName(c.parent(), c.name());
        Inode linked = inode.withNlink(inode.nlink() + 1, c.time());
        view.putInode(linked);
        view.putDentry(new Dentry(c.parent(), c.name(), c.ino(), inode.type()));
        InodeLifecycle.touchDirectory(view, c.parent(), 0, c.time());
        return new MetaResult.Attr(linked);
    }

    MetaResult unlink(MetaCommand.Unlink c) {
        Dentry d = existing(c.parent(), c.name());
        if (d.type() == FileType.DIRECTORY) {
            throw FsException.of(FsError.EISDIR, "'" + c.name() + "' is a directory: use rmdir");
        }
        view.deleteDentry(c.parent(), c.name());
        InodeLifecycle.touchDirectory(view, c.parent(), 0, c.time());
        if (!view.owns(d.ino())) {
            return new MetaResult.Unlinked(d.ino());
        }
        return new MetaResult.Attr(InodeLifecycle.dropLink(view, view.requireInode(d.ino()), c.time()));
    }

    MetaResult rmdir(MetaCommand.Rmdir c) {
        Dentry d = existing(c.parent(), c.name());
        if (d.type() != FileType.DIRECTORY) {
            throw FsException.of(FsError.ENOTDIR, "'" + c.name() + "' is not a directory: use unlink");
        }
        Inode dir = localDirectoryToReplace(d);
        view.deleteDentry(c.parent(), c.name());
        InodeLifecycle.removeDirectory(view, dir);
        InodeLifecycle.touchDirectory(view, c.parent(), -1, c.time());
        return new MetaResult.Done();
    }

    /** Cross-partition rmdir, first half: the directory here goes; its name elsewhere follows (RemoveDentry). */
    MetaResult removeDirectory(MetaCommand.RemoveDirectory c) {
        Inode dir = view.requireInode(c.ino());
        if (!dir.isDirectory()) {
            throw FsException.of(FsError.ENOTDIR, "inode " + c.ino() + " is not a directory: use unlink");
        }
        if (dir.nlink() == 0) {
            return new MetaResult.Attr(dir); // removed already: a client finishing an interrupted rmdir
        }
        if (c.ino() == PartitionCommands.ROOT_INO) {
            throw FsException.of(FsError.EBUSY, "the root directory cannot be removed");
        }
        Inode empty = localDirectoryToReplace(new Dentry(dir.parent(), "inode " + c.ino(), c.ino(), dir.type()));
        // Kept with no links rather than deleted, so that its name (in another partition, dropped next) never points
        // at nothing: a crash in between leaves an empty directory that refuses new entries, and rmdir finishes it.
        Inode removed = empty.withNlink(0, c.time());
        view.putInode(removed);
        view.put(PartitionSchema.DELETED, PartitionSchema.id(c.ino()), PartitionSchema.id(c.time()));
        return new MetaResult.Attr(removed);
    }

    /** Cross-partition rmdir, second half: drops the name of a directory another partition has removed. */
    MetaResult removeDentry(MetaCommand.RemoveDentry c) {
        Dentry d = existing(c.parent(), c.name());
        if (d.ino() != c.ino() || d.type() != FileType.DIRECTORY) {
            throw FsException.of(FsError.ENOENT, "'" + c.name() + "' in directory " + c.parent()
                    + " no longer names directory " + c.ino() + ": nothing to drop");
        }
        if (view.owns(d.ino())) {
            throw FsException.of(FsError.EINVAL, "directory " + d.ino() + " is in this partition: use Rmdir");
        }
        view.deleteDentry(c.parent(), c.name());
        InodeLifecycle.touchDirectory(view, c.parent(), -1, c.time());
        return new MetaResult.Done();
    }

    MetaResult rename(MetaCommand.Rename c) {
        NameRules.checkName(c.dstName());
        view.requireDirectory(c.srcParent());
        view.requireDirectory(c.dstParent());
        Dentry src = existing(c.srcParent(), c.srcName());
        view.checkUnlocked(c.dstParent(), c.dstName());
        view.checkUnlocked(c.dstParent(), "");
        Dentry dst = view.dentry(c.dstParent(), c.dstName());
        if (dst != null && dst.ino() == src.ino()) {
            return new MetaResult.Done(); // POSIX: two names of one inode, nothing to do
        }
        boolean movingDir = src.type() == FileType.DIRECTORY;
        if (movingDir) {
            InodeLifecycle.checkNotIntoItself(view, src.ino(), c.dstParent());
        }
        MetaResult result = dst == null ? new MetaResult.Done() : replaceTarget(src.type(), dst, c.time());
        view.deleteDentry(c.srcParent(), c.srcName());
        view.putDentry(new Dentry(c.dstParent(), c.dstName(), src.ino(), src.type()));
        int subdir = movingDir ? 1 : 0;
        InodeLifecycle.touchDirectory(view, c.srcParent(), -subdir, c.time());
        InodeLifecycle.touchDirectory(view, c.dstParent(), subdir, c.time());
        // Both names are here, so the rename is atomic here; a moved inode of another partition keeps its ctime and
        // "..", as in a cross-partition rename whose inode lives in a third partition.
        if (view.owns(src.ino())) {
            Inode moved = view.requireInode(src.ino());
            view.putInode(movingDir ? moved.withParent(c.dstParent(), c.time()) : moved.withCtime(c.time()));
        }
        return result;
    }

    /**
     * Removes the name a rename replaces, after checking that the moved type may replace it; shared with the
     * target half of a cross-partition rename. The replaced inode's partition is told through the result when it
     * is not this one.
     */
    MetaResult replaceTarget(FileType movedType, Dentry dst, long time) {
        checkReplaceable(movedType, dst);
        view.deleteDentry(dst.parent(), dst.name());
        if (dst.type() == FileType.DIRECTORY) {
            InodeLifecycle.removeDirectory(view, localDirectoryToReplace(dst));
            InodeLifecycle.touchDirectory(view, dst.parent(), -1, time);
            return new MetaResult.Done();
        }
        if (!view.owns(dst.ino())) {
            return new MetaResult.Unlinked(dst.ino());
        }
        InodeLifecycle.dropLink(view, view.requireInode(dst.ino()), time);
        return new MetaResult.Done();
    }

    /** POSIX rename rules on an existing target: a directory only over an empty directory, a file never over one. */
    void checkReplaceable(FileType movedType, Dentry dst) {
        boolean targetDir = dst.type() == FileType.DIRECTORY;
        if (movedType == FileType.DIRECTORY && !targetDir) {
            throw FsException.of(FsError.ENOTDIR, "cannot replace non-directory '" + dst.name() + "' with a directory");
        }
        if (movedType != FileType.DIRECTORY && targetDir) {
            throw FsException.of(FsError.EISDIR, "cannot replace directory '" + dst.name() + "' with a non-directory");
        }
        if (targetDir) {
            localDirectoryToReplace(dst);
        }
    }

    /** The directory a name points at, when this partition holds it and it is empty. */
    private Inode localDirectoryToReplace(Dentry d) {
        if (!view.owns(d.ino())) {
            throw FsException.of(FsError.EXDEV, "directory '" + d.name() + "' lives in another partition, which must "
                    + "check that it is empty: remove it there first");
        }
        if (view.hasEntries(d.ino())) {
            throw FsException.of(FsError.ENOTEMPTY, "directory '" + d.name() + "' is not empty");
        }
        view.checkUnlocked(d.ino(), "");
        if (view.holdsNamesInside(d.ino())) {
            throw FsException.of(FsError.EBUSY, "directory '" + d.name() + "' is the target of a rename in flight: "
                    + "retry after it finishes");
        }
        return view.requireInode(d.ino());
    }

    private Dentry existing(long parent, String name) {
        NameRules.checkName(name);
        view.requireDirectory(parent);
        Dentry d = view.dentry(parent, name);
        if (d == null) {
            throw FsException.of(FsError.ENOENT, "no '" + name + "' in directory " + parent);
        }
        view.checkUnlocked(parent, name);
        return d;
    }

    private void prepareNewName(long parent, String name) {
        NameRules.checkName(name);
        view.requireDirectory(parent);
        view.checkUnlocked(parent, name);
        view.checkUnlocked(parent, "");
        if (view.dentry(parent, name) != null) {
            throw FsException.of(FsError.EEXIST, "'" + name + "' already exists in directory " + parent);
        }
    }
}
