package io.camber.meta.partition;

import io.camber.meta.fs.Dentry;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.fs.NameRules;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.RecordCodec;
import io.camber.meta.protocol.RenameIntent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Answers queries from a partition's committed state. */
final class PartitionReader {
    /** Most entries one readdir page returns, whatever the caller asks: bounds the reply and the leader's work. */
    static final int MAX_PAGE = 1024;

    private final PartitionView view;

    PartitionReader(PartitionView view) {
        this.view = view;
    }

    MetaResult answer(MetaQuery query) {
        if (query instanceof MetaQuery.Lookup q) {
            return lookup(q);
        } else if (query instanceof MetaQuery.GetAttr q) {
            return new MetaResult.Attr(view.requireInode(q.ino()));
        } else if (query instanceof MetaQuery.ReadDir q) {
            return readDir(q);
        } else if (query instanceof MetaQuery.ReadLink q) {
            Inode inode = view.requireInode(q.ino());
            if (inode.type() != FileType.SYMLINK) {
                throw FsException.of(FsError.EINVAL, "inode " + q.ino() + " is not a symlink");
            }
            return new MetaResult.Value(inode.symlink().getBytes(StandardCharsets.UTF_8));
        } else if (query instanceof MetaQuery.StatFs) {
            return new MetaResult.Stats(view.stats());
        } else if (query instanceof MetaQuery.GetXattr q) {
            view.requireInode(q.ino());
            byte[] v = view.get(PartitionSchema.XATTRS, PartitionSchema.idAndName(q.ino(), q.name()));
            if (v == null) {
                throw FsException.of(FsError.ENODATA, "inode " + q.ino() + " has no xattr " + q.name());
            }
            return new MetaResult.Value(v);
        } else if (query instanceof MetaQuery.ListXattr q) {
            view.requireInode(q.ino());
            List<String> names = new ArrayList<>();
            view.store().scan(PartitionSchema.XATTRS, PartitionSchema.id(q.ino()), Integer.MAX_VALUE,
                    (k, v) -> names.add(PartitionSchema.nameOf(k)));
            return new MetaResult.Names(names);
        } else if (query instanceof MetaQuery.RenameStatus q) {
            RenameIntent intent = view.intent(q.txid());
            return new MetaResult.Rename(intent != null ? intent : new RenameIntent(q.txid(), RenameIntent.Role.SOURCE,
                    RenameIntent.State.UNKNOWN, 0, "", 0, "", 0, FileType.REGULAR, -1, 0));
        } else if (query instanceof MetaQuery.PendingRenames q) {
            return pendingRenames(q.limit());
        } else if (query instanceof MetaQuery.ListDeleted q) {
            return deleted(q.limit());
        }
        throw new IllegalArgumentException("unknown query " + query);
    }

    private MetaResult lookup(MetaQuery.Lookup q) {
        NameRules.checkName(q.name());
        view.requireDirectory(q.parent());
        String txid = view.lockOf(q.parent(), q.name());
        RenameIntent holder = txid == null ? null : view.intent(txid);
        if (holder != null && holder.role() == RenameIntent.Role.TARGET) {
            // Which name exists depends on the primary's outcome: the caller resolves the rename and asks again.
            throw FsException.of(FsError.EAGAIN, "'" + q.name() + "' is the target of rename " + txid
                    + " in flight: resolve it with partition " + holder.peerPartition() + " and retry");
        }
        Dentry d = view.dentry(q.parent(), q.name());
        if (d == null) {
            throw FsException.of(FsError.ENOENT, "no '" + q.name() + "' in directory " + q.parent());
        }
        return new MetaResult.Found(entry(d));
    }

    private MetaResult readDir(MetaQuery.ReadDir q) {
        view.requireDirectory(q.dir());
        int limit = Math.max(1, Math.min(q.limit(), MAX_PAGE));
        String after = q.after() == null ? "" : q.after();
        byte[] prefix = PartitionSchema.id(q.dir());
        // The key just past "after": the same bytes followed by a zero byte, which no name contains.
        byte[] from = after.isEmpty() ? prefix : PartitionSchema.idAndName(q.dir(), after + "\0");
        List<MetaResult.Entry> entries = new ArrayList<>();
        view.store().scan(PartitionSchema.DENTRIES, prefix, from, limit + 1, (k, v) -> entries.add(
                entry(PartitionView.decodeDentry(q.dir(), PartitionSchema.nameOf(k), v))));
        boolean more = entries.size() > limit;
        return new MetaResult.Listing(more ? entries.subList(0, limit) : entries, more);
    }

    private MetaResult.Entry entry(Dentry d) {
        Inode attr = view.owns(d.ino()) ? view.inode(d.ino()) : null;
        return new MetaResult.Entry(d.name(), d.ino(), d.type(), attr);
    }

    private MetaResult pendingRenames(int limit) {
        List<RenameIntent> pending = new ArrayList<>();
        view.store().scan(PartitionSchema.RENAMES, new byte[0], Integer.MAX_VALUE, (k, v) -> {
            RenameIntent intent = RecordCodec.decode(v, RenameIntent.class);
            if (intent.state() == RenameIntent.State.PREPARED && pending.size() < limit) {
                pending.add(intent);
            }
        });
        return new MetaResult.Renames(pending);
    }

    private MetaResult deleted(int limit) {
        List<Long> orphans = new ArrayList<>();
        List<Long> orphanedAt = new ArrayList<>();
        List<MetaResult.DeletedExtents> freed = new ArrayList<>();
        view.store().scan(PartitionSchema.DELETED, new byte[0], limit, (k, v) -> {
            if (k.length == 8) {
                orphans.add(PartitionSchema.idOf(k));
                orphanedAt.add(PartitionSchema.idOf(v));
            } else {
                freed.add(RecordCodec.decode(v, MetaResult.DeletedExtents.class));
            }
        });
        return new MetaResult.Deleted(orphans, freed, orphanedAt);
    }
}
