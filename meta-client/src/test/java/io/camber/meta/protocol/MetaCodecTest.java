package io.camber.meta.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.meta.fs.Extent;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Every command, query and result survives its wire form; bad bytes are refused with a clear error. */
class MetaCodecTest {
    static final Inode INODE = new Inode(42, FileType.REGULAR.mode(0640), 1, 2, 3, 9000, 10, 11, 12, 0, 1, null,
            List.of(new Extent(0, 7 << 20, 4096), new Extent(4096, 8 << 20, 4904)));

    static final List<MetaCommand> COMMANDS = List.of(
            new MetaCommand.InitPartition(1, 2, 3, 4, 0755, 5, 6, 7),
            new MetaCommand.MakeNode(1, "név", FileType.SYMLINK.mode(0777), 1, 2, 3, "../t", 9),
            new MetaCommand.Link(2, 1, "l", 3), new MetaCommand.Unlink(1, "u", 2), new MetaCommand.Rmdir(1, "r", 2),
            new MetaCommand.Rename(1, "a", 2, "b", 3),
            new MetaCommand.SetAttr(1, SetAttrMask.MODE | SetAttrMask.SIZE, 0600, 1, 2, 3, 4, 5, 6, 7),
            new MetaCommand.SetXattr(1, "user.x", new byte[] {0, 1, 2}, XattrFlags.CREATE, 4),
            new MetaCommand.SetXattr(1, "user.null", null, 0, 4),
            new MetaCommand.RemoveXattr(1, "user.x", 5),
            new MetaCommand.AddExtents(1, List.of(new Extent(0, 2, 3)), 3, 4),
            new MetaCommand.AllocateExtents(1, 100, 5000, 4),
            new MetaCommand.ReleaseSpace(1, MetaCommand.ReleaseSpace.ORPHAN, List.of(new Extent(0, 4096, 4096))),
            new MetaCommand.ReplaceExtents(1, List.of(), 0, 4), new MetaCommand.Fsync(9),
            new MetaCommand.MakeInode(1, FileType.DIRECTORY.mode(0700), 1, 2, 0, null, 5),
            new MetaCommand.AddDentry(1, "d", 100, FileType.DIRECTORY, 6), new MetaCommand.AdjustLinks(3, -1, 4),
            new MetaCommand.RemoveDirectory(100, 5), new MetaCommand.RemoveDentry(1, "far", 100, 6),
            new MetaCommand.PurgeDeleted(3),
            new MetaCommand.PrepareRenameSource("tx", 1, "a", 2, "b", 3, 4),
            new MetaCommand.PrepareRenameTarget("tx", 1, "a", 2, "b", 9, FileType.REGULAR, 0, 4),
            new MetaCommand.CommitRename("tx", 1), new MetaCommand.RollbackRename("tx", 1),
            new MetaCommand.ResolveRename("tx", 1, 2), new MetaCommand.ForgetRename("tx"),
            new MetaCommand.WriteInline(7, 100, new byte[] {9, 8, 7}, 5),
            new MetaCommand.AddExtents(1, List.of(), 3, 4, new byte[] {5, 6}), new MetaCommand.KeepOrphan(7, 8),
            new MetaCommand.JoinFiles(9, List.of(10L, 11L), 12));

    @Test
    void everyCommandRoundTrips() {
        for (MetaCommand c : COMMANDS) {
            MetaCommand back = MetaCodec.decodeCommand(MetaCodec.encode(c));
            assertThat(back).usingRecursiveComparison().as(c.op()).isEqualTo(c);
            assertThat(back.getClass()).isEqualTo(c.getClass());
        }
        assertThat(COMMANDS.stream().map(MetaCommand::op).distinct()).hasSize(
                MetaCommand.class.getPermittedSubclasses().length);
    }

    @Test
    void recordsWrittenBeforeComponentsWereAppendedStillDecode() {
        // AddExtents as logged before movedInline existed, and an inode stored before inline data existed
        byte[] now = MetaCodec.encode(new MetaCommand.AddExtents(1, List.of(), 3, 4));
        byte[] oldCommand = java.util.Arrays.copyOf(now, now.length - 4); // no movedInline: its -1 length gone
        assertThat(MetaCodec.decodeCommand(oldCommand)).isEqualTo(new MetaCommand.AddExtents(1, List.of(), 3, 4));
        byte[] stored = RecordCodec.encode(INODE);
        byte[] oldInode = java.util.Arrays.copyOf(stored, stored.length - 4); // no inline: its -1 length gone
        assertThat(RecordCodec.decode(oldInode, Inode.class)).isEqualTo(INODE);
        Inode inline = INODE.withInline(new byte[] {1, 2, 3}, 3, 99);
        assertThat(RecordCodec.decode(RecordCodec.encode(inline), Inode.class)).isEqualTo(inline);
        assertThat(RecordCodec.decode(RecordCodec.encode(inline), Inode.class).inline()).containsExactly(1, 2, 3);
    }

    @Test
    void everyQueryRoundTrips() {
        List<MetaQuery> queries = List.of(new MetaQuery.Lookup(1, "x"), new MetaQuery.GetAttr(2),
                new MetaQuery.ReadDir(1, "after", 50), new MetaQuery.ReadLink(3), new MetaQuery.StatFs(),
                new MetaQuery.GetXattr(1, "user.a"), new MetaQuery.ListXattr(1), new MetaQuery.RenameStatus("t"),
                new MetaQuery.PendingRenames(5), new MetaQuery.ListDeleted(6));
        for (MetaQuery q : queries) {
            assertThat(MetaCodec.decodeQuery(MetaCodec.encode(q))).isEqualTo(q);
        }
        assertThat(queries).hasSize(MetaQuery.class.getPermittedSubclasses().length);
    }

    @Test
    void repliesCarryResultsAndErrors() {
        List<MetaResult> results = List.of(new MetaResult.Done(), new MetaResult.Attr(INODE),
                new MetaResult.Listing(List.of(new MetaResult.Entry("a", 42, FileType.REGULAR, INODE),
                        new MetaResult.Entry("b", 500, FileType.DIRECTORY, null)), true),
                new MetaResult.Names(List.of("user.a", "user.b")),
                new MetaResult.Stats(new PartitionStats(1, 2, 3, 4, 5, 6, 7)), new MetaResult.Unlinked(9),
                new MetaResult.Rename(new RenameIntent("t", RenameIntent.Role.TARGET, RenameIntent.State.PREPARED, 1,
                        "a", 2, "b", 3, FileType.SYMLINK, 4, 5)),
                new MetaResult.Renames(List.of()),
                new MetaResult.Deleted(List.of(3L, 4L), List.of(new MetaResult.DeletedExtents(3, 9,
                        List.of(new Extent(0, 2, 3)))), List.of(17L, 18L)),
                new MetaResult.Allocated(List.of(new Extent(0, 8192, 4096)), 4096),
                new MetaResult.Found(new MetaResult.Entry("x", 1, FileType.FIFO, null)));
        for (MetaResult r : results) {
            MetaReply back = MetaCodec.decodeReply(MetaCodec.encode(MetaReply.ok(r)));
            assertThat(back.isOk()).isTrue();
            assertThat(back.result()).isEqualTo(r);
        }
        byte[] value = {9, 8, 7};
        assertThat(((MetaResult.Value) MetaCodec.decodeReply(MetaCodec.encode(MetaReply.ok(
                new MetaResult.Value(value)))).result()).value()).isEqualTo(value);
        MetaReply failed = MetaCodec.decodeReply(MetaCodec.encode(MetaReply.failed(FsError.ENOTEMPTY, "not empty")));
        assertThat(failed.error()).isEqualTo(FsError.ENOTEMPTY);
        assertThat(failed.message()).isEqualTo("not empty");
        assertThat(failed.result()).isNull();
    }

    /** Any names (any UTF-16, unpaired surrogates aside), ids and extents survive the wire. */
    @Property(tries = 300)
    void randomCommandsRoundTrip(@ForAll @StringLength(max = 300) String name, @ForAll long parent,
                                 @ForAll int mode,
                                 @ForAll @Size(max = 5) List<@IntRange(min = 1, max = 1 << 30) Integer> lengths) {
        String wellFormed = name.codePoints().filter(c -> c < 0xD800 || c > 0xDFFF)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        List<Extent> extents = lengths.stream().map(l -> new Extent(l, l + 2, l)).toList();
        byte[] value = wellFormed.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<MetaCommand> commands = List.of(
                new MetaCommand.MakeNode(parent, wellFormed, mode, mode, mode, parent, wellFormed, parent),
                new MetaCommand.AddExtents(parent, extents, parent, parent),
                new MetaCommand.SetXattr(parent, wellFormed, value, mode, parent));
        for (MetaCommand c : commands) {
            assertThat(MetaCodec.decodeCommand(MetaCodec.encode(c))).usingRecursiveComparison().isEqualTo(c);
        }
    }

    @Test
    void theWireFormIsCompact() {
        assertThat(MetaCodec.encode(new MetaQuery.GetAttr(7))).hasSize(1 + 8);
        assertThat(MetaCodec.encode(new MetaQuery.Lookup(7, "ab"))).hasSize(1 + 8 + 4 + 2);
    }

    @Test
    void malformedBytesAreRefused() {
        assertThatThrownBy(() -> MetaCodec.decodeCommand(new byte[] {(byte) 200}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag");
        assertThatThrownBy(() -> MetaCodec.decodeCommand(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        byte[] truncated = MetaCodec.encode(new MetaCommand.Unlink(1, "name", 2));
        assertThatThrownBy(() -> MetaCodec.decodeCommand(java.util.Arrays.copyOf(truncated, truncated.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
        byte[] badEnum = MetaCodec.encode(new MetaCommand.AddDentry(1, "d", 100, FileType.DIRECTORY, 6));
        badEnum[badEnum.length - 9] = 99; // the type's ordinal, just before the 8-byte time
        assertThatThrownBy(() -> MetaCodec.decodeCommand(badEnum)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FileType has no value 99");
        byte[] negativeList = MetaCodec.encode(new MetaCommand.ReplaceExtents(1, List.of(), 0, 4));
        negativeList[9] = (byte) 0xff; // first byte of the list count after tag and ino
        assertThatThrownBy(() -> MetaCodec.decodeCommand(negativeList)).isInstanceOf(IllegalArgumentException.class);
        byte[] hugeLength = {3, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0, 0, 0};
        assertThatThrownBy(() -> MetaCodec.decodeCommand(hugeLength)).isInstanceOf(IllegalArgumentException.class);
    }
}
