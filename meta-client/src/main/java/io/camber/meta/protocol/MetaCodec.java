package io.camber.meta.protocol;

import io.camber.meta.fs.FsError;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The wire form of commands, queries and replies: a one-byte type tag, then the record's {@link RecordCodec}
 * form. Tags are positions in the lists below: append new types at the end, never reorder, since the Raft log
 * keeps old commands.
 */
public final class MetaCodec {
    private static final List<Class<? extends MetaCommand>> COMMANDS = List.of(
            MetaCommand.InitPartition.class, MetaCommand.MakeNode.class, MetaCommand.Link.class,
            MetaCommand.Unlink.class, MetaCommand.Rmdir.class, MetaCommand.Rename.class, MetaCommand.SetAttr.class,
            MetaCommand.SetXattr.class, MetaCommand.RemoveXattr.class, MetaCommand.AddExtents.class,
            MetaCommand.ReplaceExtents.class, MetaCommand.Fsync.class, MetaCommand.MakeInode.class,
            MetaCommand.AddDentry.class, MetaCommand.AdjustLinks.class, MetaCommand.PurgeDeleted.class,
            MetaCommand.PrepareRenameSource.class, MetaCommand.PrepareRenameTarget.class,
            MetaCommand.CommitRename.class, MetaCommand.RollbackRename.class, MetaCommand.ResolveRename.class,
            MetaCommand.ForgetRename.class, MetaCommand.AllocateExtents.class, MetaCommand.ReleaseSpace.class,
            MetaCommand.RemoveDirectory.class, MetaCommand.RemoveDentry.class, MetaCommand.WriteInline.class,
            MetaCommand.KeepOrphan.class, MetaCommand.JoinFiles.class);
    private static final List<Class<? extends MetaQuery>> QUERIES = List.of(
            MetaQuery.Lookup.class, MetaQuery.GetAttr.class, MetaQuery.ReadDir.class, MetaQuery.ReadLink.class,
            MetaQuery.StatFs.class, MetaQuery.GetXattr.class, MetaQuery.ListXattr.class,
            MetaQuery.RenameStatus.class, MetaQuery.PendingRenames.class, MetaQuery.ListDeleted.class);
    private static final List<Class<? extends MetaResult>> RESULTS = List.of(
            MetaResult.Done.class, MetaResult.Attr.class, MetaResult.Listing.class, MetaResult.Value.class,
            MetaResult.Names.class, MetaResult.Stats.class, MetaResult.Unlinked.class, MetaResult.Rename.class,
            MetaResult.Renames.class, MetaResult.Deleted.class, MetaResult.Found.class, MetaResult.Allocated.class);
    private static final int NONE = 255;

    private MetaCodec() {
    }

    public static byte[] encode(MetaCommand command) {
        return tagged(COMMANDS.indexOf(command.getClass()), (Record) command);
    }

    public static MetaCommand decodeCommand(byte[] bytes) {
        return (MetaCommand) untag(bytes, COMMANDS, "command");
    }

    public static byte[] encode(MetaQuery query) {
        return tagged(QUERIES.indexOf(query.getClass()), (Record) query);
    }

    public static MetaQuery decodeQuery(byte[] bytes) {
        return (MetaQuery) untag(bytes, QUERIES, "query");
    }

    /** A reply: error ordinal, message, then the tagged result or 255 for none. */
    public static byte[] encode(MetaReply reply) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(reply.error().ordinal());
            out.writeUTF(reply.message() == null ? "" : truncate(reply.message()));
            if (reply.result() == null) {
                out.writeByte(NONE);
            } else {
                out.writeByte(RESULTS.indexOf(reply.result().getClass()));
                RecordCodec.writeRecord(out, (Record) reply.result());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static MetaReply decodeReply(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            FsError error = FsError.values()[in.readUnsignedByte()];
            String message = in.readUTF();
            int tag = in.readUnsignedByte();
            MetaResult result = tag == NONE ? null : (MetaResult) RecordCodec.readRecord(in, RESULTS.get(tag));
            return new MetaReply(error, message, result);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed meta-service reply: " + e.getMessage(), e);
        }
    }

    private static String truncate(String message) {
        // writeUTF holds 64 KiB; a message never needs that much, a name echoed in it is at most 255 bytes.
        return message.length() > 4000 ? message.substring(0, 4000) : message;
    }

    private static byte[] tagged(int tag, Record value) {
        if (tag < 0) {
            throw new IllegalArgumentException("no wire tag for " + value.getClass());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(tag);
            RecordCodec.writeRecord(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Record untag(byte[] bytes, List<? extends Class<?>> types, String what) {
        if (bytes.length == 0 || (bytes[0] & 0xff) >= types.size()) {
            throw new IllegalArgumentException("unknown meta-service " + what + " tag: is the client newer than the server?");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            // Commands in the Raft log may predate components appended to their record since.
            return RecordCodec.readStored(in, types.get(bytes[0] & 0xff));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed meta-service " + what + ": " + e.getMessage(), e);
        }
    }
}
