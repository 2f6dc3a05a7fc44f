package io.camber.meta.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCodec;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.server.rocks.RocksStore;

import java.nio.file.Path;

/**
 * A partition's logic on a real RocksStore without Ratis: each command is applied as the next log index and
 * committed (or discarded on refusal) the way the state machine does, and every command and reply goes through
 * the wire codec so the codec is exercised by every test.
 */
final class PartitionFixture implements AutoCloseable {
    static final int DIR = FileType.DIRECTORY.mode(0755);
    static final int FILE = FileType.REGULAR.mode(0644);

    final RocksStore store;
    private long index;
    long time = 1_000_000_000L;

    PartitionFixture(Path dir, long start, long end) {
        this(dir, 7, 0, start, end);
    }

    PartitionFixture(Path dir, long fsId, int partitionId, long start, long end) {
        store = new RocksStore(dir, PartitionSchema.FAMILIES, 8 << 20);
        ok(new MetaCommand.InitPartition(fsId, partitionId, start, end, 0755, 0, 0, time));
    }

    /** Applies the command; the reply as a client would decode it. */
    MetaReply apply(MetaCommand command) {
        MetaCommand wire = MetaCodec.decodeCommand(MetaCodec.encode(command));
        RocksStore.Batch batch = store.batch();
        MetaReply reply;
        try {
            reply = MetaReply.ok(PartitionCommands.apply(wire, store, batch, ++index));
        } catch (FsException e) {
            batch = store.batch();
            reply = MetaReply.failed(e.error(), e.getMessage());
        }
        store.commit(batch, 1, index);
        return MetaCodec.decodeReply(MetaCodec.encode(reply));
    }

    MetaReply query(MetaQuery query) {
        try {
            return MetaCodec.decodeReply(MetaCodec.encode(MetaReply.ok(
                    PartitionCommands.query(MetaCodec.decodeQuery(MetaCodec.encode(query)), store))));
        } catch (FsException e) {
            return MetaReply.failed(e.error(), e.getMessage());
        }
    }

    MetaResult ok(MetaCommand command) {
        MetaReply reply = apply(command);
        assertThat(reply.error()).as(reply.message()).isEqualTo(FsError.OK);
        return reply.result();
    }

    MetaResult okQuery(MetaQuery query) {
        MetaReply reply = query(query);
        assertThat(reply.error()).as(reply.message()).isEqualTo(FsError.OK);
        return reply.result();
    }

    FsError error(MetaCommand command) {
        return apply(command).error();
    }

    long tick() {
        return time += 1000;
    }

    Inode mkdir(long parent, String name) {
        return ((MetaResult.Attr) ok(new MetaCommand.MakeNode(parent, name, DIR, 0, 0, 0, null, tick()))).inode();
    }

    Inode create(long parent, String name) {
        return ((MetaResult.Attr) ok(new MetaCommand.MakeNode(parent, name, FILE, 1000, 1000, 0, null, tick())))
                .inode();
    }

    Inode attr(long ino) {
        return ((MetaResult.Attr) okQuery(new MetaQuery.GetAttr(ino))).inode();
    }

    /** Space for [offset, offset + length) of ino; the extents covering the block-widened range. */
    MetaResult.Allocated allocate(long ino, long offset, long length) {
        return (MetaResult.Allocated) ok(new MetaCommand.AllocateExtents(ino, offset, length, tick()));
    }

    /** The inode a name leads to, or 0 if the lookup fails. */
    long lookup(long parent, String name) {
        MetaReply reply = query(new MetaQuery.Lookup(parent, name));
        return reply.isOk() ? ((MetaResult.Found) reply.result()).entry().ino() : 0;
    }

    FsError lookupError(long parent, String name) {
        return query(new MetaQuery.Lookup(parent, name)).error();
    }

    @Override
    public void close() {
        store.close();
    }
}
