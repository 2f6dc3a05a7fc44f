package io.camber.meta.partition;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaCommand.AddDentry;
import io.camber.meta.protocol.MetaCommand.AddExtents;
import io.camber.meta.protocol.MetaCommand.AdjustLinks;
import io.camber.meta.protocol.MetaCommand.CommitRename;
import io.camber.meta.protocol.MetaCommand.ForgetRename;
import io.camber.meta.protocol.MetaCommand.Fsync;
import io.camber.meta.protocol.MetaCommand.InitPartition;
import io.camber.meta.protocol.MetaCommand.Link;
import io.camber.meta.protocol.MetaCommand.MakeInode;
import io.camber.meta.protocol.MetaCommand.MakeNode;
import io.camber.meta.protocol.MetaCommand.PrepareRenameSource;
import io.camber.meta.protocol.MetaCommand.PrepareRenameTarget;
import io.camber.meta.protocol.MetaCommand.PurgeDeleted;
import io.camber.meta.protocol.MetaCommand.RemoveXattr;
import io.camber.meta.protocol.MetaCommand.Rename;
import io.camber.meta.protocol.MetaCommand.ReplaceExtents;
import io.camber.meta.protocol.MetaCommand.ResolveRename;
import io.camber.meta.protocol.MetaCommand.Rmdir;
import io.camber.meta.protocol.MetaCommand.RollbackRename;
import io.camber.meta.protocol.MetaCommand.SetAttr;
import io.camber.meta.protocol.MetaCommand.SetXattr;
import io.camber.meta.protocol.MetaCommand.Unlink;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionStats;
import io.camber.server.rocks.RocksStore;

import java.util.List;

/**
 * A partition's logic in plain Java: applies one command to a store and batch, or answers one query. The state
 * machine calls it for each committed entry; unit tests call it on a bare RocksStore.
 */
public final class PartitionCommands {
    /** Inode id of every file system's root directory (CurveFS uses 1 too). */
    public static final long ROOT_INO = 1;

    private PartitionCommands() {
    }

    /** Applies the command as the entry at index; a refusal throws {@link FsException} and writes nothing. */
    public static MetaResult apply(MetaCommand command, RocksStore store, RocksStore.Batch batch, long index) {
        PartitionView view = new PartitionView(store, batch);
        if (command instanceof InitPartition c) {
            return init(view, c);
        }
        Namespace ns = new Namespace(view);
        InodeData data = new InodeData(view, index);
        RenameTransactions renames = new RenameTransactions(view, ns);
        DataSpace space = new DataSpace(view);
        // An instanceof chain rather than a pattern switch: the bytecode targets Java 17.
        if (command instanceof MakeNode c) {
            return ns.makeNode(c);
        } else if (command instanceof Link c) {
            return ns.link(c);
        } else if (command instanceof Unlink c) {
            return ns.unlink(c);
        } else if (command instanceof Rmdir c) {
            return ns.rmdir(c);
        } else if (command instanceof Rename c) {
            return ns.rename(c);
        } else if (command instanceof MakeInode c) {
            return ns.makeInode(c);
        } else if (command instanceof AddDentry c) {
            return ns.addDentry(c);
        } else if (command instanceof MetaCommand.RemoveDirectory c) {
            return ns.removeDirectory(c);
        } else if (command instanceof MetaCommand.RemoveDentry c) {
            return ns.removeDentry(c);
        } else if (command instanceof SetAttr c) {
            return data.setAttr(c);
        } else if (command instanceof SetXattr c) {
            return data.setXattr(c);
        } else if (command instanceof RemoveXattr c) {
            return data.removeXattr(c);
        } else if (command instanceof AddExtents c) {
            return data.addExtents(c);
        } else if (command instanceof MetaCommand.WriteInline c) {
            return data.writeInline(c);
        } else if (command instanceof ReplaceExtents c) {
            return data.replaceExtents(c);
        } else if (command instanceof MetaCommand.JoinFiles c) {
            return data.joinFiles(c);
        } else if (command instanceof Fsync c) {
            return data.fsync(c);
        } else if (command instanceof AdjustLinks c) {
            return data.adjustLinks(c);
        } else if (command instanceof PurgeDeleted c) {
            return data.purgeDeleted(c);
        } else if (command instanceof MetaCommand.KeepOrphan c) {
            return data.keepOrphan(c);
        } else if (command instanceof PrepareRenameSource c) {
            return renames.prepareSource(c);
        } else if (command instanceof PrepareRenameTarget c) {
            return renames.prepareTarget(c);
        } else if (command instanceof CommitRename c) {
            return renames.commit(c);
        } else if (command instanceof RollbackRename c) {
            return renames.rollback(c);
        } else if (command instanceof ResolveRename c) {
            return renames.resolve(c);
        } else if (command instanceof ForgetRename c) {
            return renames.forget(c);
        } else if (command instanceof MetaCommand.AllocateExtents c) {
            return space.allocate(c);
        } else if (command instanceof MetaCommand.ReleaseSpace c) {
            return space.release(c);
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    /** Answers a query from the committed state. */
    public static MetaResult query(MetaQuery query, RocksStore store) {
        return new PartitionReader(new PartitionView(store, null)).answer(query);
    }

    /** The partition's range and counters, or null before InitPartition. */
    public static PartitionStats stats(RocksStore store) {
        PartitionView view = new PartitionView(store, null);
        return view.initialized() ? view.stats() : null;
    }

    private static MetaResult init(PartitionView view, InitPartition c) {
        if (c.start() < ROOT_INO || c.end() <= c.start()) {
            throw FsException.of(FsError.EINVAL, "inode range [" + c.start() + ", " + c.end()
                    + ") is empty or starts below 1");
        }
        if (view.initialized()) {
            PartitionStats s = view.stats();
            if (s.fsId() == c.fsId() && s.partitionId() == c.partitionId() && s.start() == c.start()
                    && s.end() == c.end()) {
                return new MetaResult.Stats(s); // a retried init
            }
            throw FsException.of(FsError.EEXIST, "partition already holds fs " + s.fsId() + " partition "
                    + s.partitionId() + " range [" + s.start() + ", " + s.end() + ")");
        }
        PartitionStats stats = new PartitionStats(c.fsId(), c.partitionId(), c.start(), c.end(), c.start(), 0, 0);
        if (c.start() == ROOT_INO) {
            int mode = FileType.DIRECTORY.mode(c.rootMode());
            view.putInode(new Inode(ROOT_INO, mode, c.rootUid(), c.rootGid(), 2, 0, c.time(), c.time(), c.time(), 0,
                    ROOT_INO, null, List.of()));
            stats = new PartitionStats(c.fsId(), c.partitionId(), c.start(), c.end(), ROOT_INO + 1, 1, 0);
        }
        view.putStats(stats);
        return new MetaResult.Stats(stats);
    }
}
