package io.camber.meta.partition;

import io.camber.meta.fs.Dentry;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.RenameIntent;
import io.camber.meta.protocol.RenameIntent.Role;
import io.camber.meta.protocol.RenameIntent.State;

/**
 * The partition's side of a rename whose two names live in two partitions (docs/architecture.md, "Cross-partition
 * rename"). The source partition is the primary: its commit removes the source name and is the moment the
 * rename happens; the target partition only adds the name once told. Prepared names are locked, so nothing else
 * changes them meanwhile, and every record carries what a resolver needs to finish or undo it.
 */
final class RenameTransactions {
    private final PartitionView view;
    private final Namespace namespace;

    RenameTransactions(PartitionView view, Namespace namespace) {
        this.view = view;
        this.namespace = namespace;
    }

    MetaResult prepareSource(MetaCommand.PrepareRenameSource c) {
        RenameIntent known = view.intent(c.txid());
        if (known != null) {
            return repeatedPrepare(known, Role.SOURCE);
        }
        NameRules.checkName(c.srcName());
        view.requireDirectory(c.srcParent());
        Dentry src = view.dentry(c.srcParent(), c.srcName());
        if (src == null) {
            throw FsException.of(FsError.ENOENT, "no '" + c.srcName() + "' in directory " + c.srcParent());
        }
        view.checkUnlocked(c.srcParent(), c.srcName());
        RenameIntent intent = new RenameIntent(c.txid(), Role.SOURCE, State.PREPARED, c.srcParent(), c.srcName(),
                c.dstParent(), c.dstName(), src.ino(), src.type(), c.dstPartition(), c.time());
        view.lock(c.srcParent(), c.srcName(), c.txid());
        view.putIntent(intent);
        return new MetaResult.Rename(intent);
    }

    MetaResult prepareTarget(MetaCommand.PrepareRenameTarget c) {
        RenameIntent known = view.intent(c.txid());
        if (known != null) {
            return repeatedPrepare(known, Role.TARGET);
        }
        NameRules.checkName(c.dstName());
        view.requireDirectory(c.dstParent());
        view.checkUnlocked(c.dstParent(), c.dstName());
        view.checkUnlocked(c.dstParent(), "");
        if (c.type() == FileType.DIRECTORY) {
            InodeLifecycle.checkNotIntoItself(view, c.ino(), c.dstParent());
        }
        Dentry dst = view.dentry(c.dstParent(), c.dstName());
        if (dst != null && dst.ino() == c.ino()) {
            // POSIX: renaming one name of an inode onto another of its names does nothing. EEXIST is no rename
            // error, so the client can tell this apart, roll the source back and answer success.
            throw FsException.of(FsError.EEXIST, "'" + c.dstName() + "' already names inode " + c.ino()
                    + ": nothing to rename");
        }
        if (dst != null) {
            namespace.checkReplaceable(c.type(), dst);
            if (dst.type() == FileType.DIRECTORY) {
                view.lock(dst.ino(), "", c.txid()); // keeps the directory empty until the rename ends
            }
        }
        RenameIntent intent = new RenameIntent(c.txid(), Role.TARGET, State.PREPARED, c.srcParent(), c.srcName(),
                c.dstParent(), c.dstName(), c.ino(), c.type(), c.primaryPartition(), c.time());
        view.lock(c.dstParent(), c.dstName(), c.txid());
        view.putIntent(intent);
        return new MetaResult.Rename(intent);
    }

    MetaResult commit(MetaCommand.CommitRename c) {
        RenameIntent intent = view.intent(c.txid());
        if (intent == null) {
            throw FsException.of(FsError.ENOENT, "no prepared rename " + c.txid() + " here: a target half that "
                    + "already committed forgets it, so a repeated commit lands here too");
        }
        if (intent.state() == State.ABORTED) {
            throw FsException.of(FsError.EINVAL, "rename " + c.txid() + " was aborted: roll back its target half");
        }
        if (intent.state() == State.COMMITTED) {
            return new MetaResult.Rename(intent);
        }
        return intent.role() == Role.SOURCE ? commitSource(intent, c.time()) : commitTarget(intent, c.time());
    }

    /** The commit point: the source name goes and the outcome is recorded, in one batch. */
    private MetaResult commitSource(RenameIntent intent, long time) {
        view.unlock(intent.srcParent(), intent.srcName());
        view.deleteDentry(intent.srcParent(), intent.srcName());
        InodeLifecycle.touchDirectory(view, intent.srcParent(), intent.type() == FileType.DIRECTORY ? -1 : 0, time);
        moveInodeIfMine(intent, time);
        RenameIntent committed = intent.withState(State.COMMITTED);
        view.putIntent(committed);
        return new MetaResult.Rename(committed);
    }

    private MetaResult commitTarget(RenameIntent intent, long time) {
        view.unlock(intent.dstParent(), intent.dstName());
        Dentry dst = view.dentry(intent.dstParent(), intent.dstName());
        MetaResult result = new MetaResult.Done();
        if (dst != null && dst.ino() != intent.ino()) {
            if (dst.type() == FileType.DIRECTORY) {
                view.unlock(dst.ino(), "");
            }
            result = namespace.replaceTarget(intent.type(), dst, time);
        }
        view.putDentry(new Dentry(intent.dstParent(), intent.dstName(), intent.ino(), intent.type()));
        InodeLifecycle.touchDirectory(view, intent.dstParent(), intent.type() == FileType.DIRECTORY ? 1 : 0, time);
        moveInodeIfMine(intent, time);
        view.deleteIntent(intent.txid());
        return result;
    }

    /** The moved inode's ctime, and a directory's "..", change in whichever partition holds it. */
    private void moveInodeIfMine(RenameIntent intent, long time) {
        if (!view.owns(intent.ino())) {
            return;
        }
        Inode moved = view.inode(intent.ino());
        if (moved != null) {
            view.putInode(moved.isDirectory() ? moved.withParent(intent.dstParent(), time) : moved.withCtime(time));
        }
    }

    MetaResult rollback(MetaCommand.RollbackRename c) {
        RenameIntent intent = view.intent(c.txid());
        if (intent == null || intent.state() == State.ABORTED) {
            return new MetaResult.Done();
        }
        if (intent.state() == State.COMMITTED) {
            throw FsException.of(FsError.EINVAL, "rename " + c.txid() + " has committed: commit its target half");
        }
        if (intent.role() == Role.SOURCE) {
            abortSource(intent);
        } else {
            view.unlock(intent.dstParent(), intent.dstName());
            Dentry dst = view.dentry(intent.dstParent(), intent.dstName());
            if (dst != null && dst.type() == FileType.DIRECTORY && c.txid().equals(view.lockOf(dst.ino(), ""))) {
                view.unlock(dst.ino(), "");
            }
            view.deleteIntent(intent.txid());
        }
        return new MetaResult.Done();
    }

    MetaResult resolve(MetaCommand.ResolveRename c) {
        RenameIntent intent = view.intent(c.txid());
        if (intent == null) {
            // Never prepared here (or its client died before the primary heard of it): the abort is recorded so a
            // prepare arriving late is refused instead of starting a rename whose target half was rolled back.
            RenameIntent tombstone = new RenameIntent(c.txid(), Role.SOURCE, State.ABORTED, 0, "", 0, "", 0,
                    FileType.REGULAR, -1, c.now());
            view.putIntent(tombstone);
            return new MetaResult.Rename(tombstone);
        }
        if (intent.role() != Role.SOURCE) {
            throw FsException.of(FsError.EINVAL, "this partition holds the target half of " + c.txid()
                    + ": ask its primary partition " + intent.peerPartition());
        }
        if (intent.state() == State.PREPARED && intent.preparedAt() + c.ttl() <= c.now()) {
            return new MetaResult.Rename(abortSource(intent));
        }
        return new MetaResult.Rename(intent);
    }

    MetaResult forget(MetaCommand.ForgetRename c) {
        RenameIntent intent = view.intent(c.txid());
        if (intent == null) {
            return new MetaResult.Done();
        }
        if (intent.state() == State.PREPARED) {
            throw FsException.of(FsError.EBUSY, "rename " + c.txid() + " is still prepared: commit or roll it back");
        }
        view.deleteIntent(c.txid());
        return new MetaResult.Done();
    }

    private RenameIntent abortSource(RenameIntent intent) {
        view.unlock(intent.srcParent(), intent.srcName());
        RenameIntent aborted = intent.withState(State.ABORTED);
        view.putIntent(aborted);
        return aborted;
    }

    private MetaResult repeatedPrepare(RenameIntent known, Role role) {
        if (known.role() != role || known.state() == State.ABORTED) {
            throw FsException.of(FsError.EINVAL, "rename " + known.txid() + " was " + known.state().name().toLowerCase()
                    + " here: start the rename again with a new txid");
        }
        return new MetaResult.Rename(known); // a client retrying its prepare
    }
}
