package io.camber.meta.partition;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.Extent;
import io.camber.meta.fs.ExtentMap;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.SetAttrMask;
import io.camber.meta.protocol.XattrFlags;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attributes, xattrs, extents, fsync and GC purge on one inode. */
class InodeDataTest {
    @TempDir
    Path dir;
    PartitionFixture p;
    Inode f;

    @BeforeEach
    void open() {
        p = new PartitionFixture(dir, 1, 100);
        f = p.create(ROOT_INO, "f");
    }

    @AfterEach
    void close() {
        p.close();
    }

    private Inode setAttr(int mask, int mode, int uid, int gid, long atime, long mtime, long size) {
        return ((MetaResult.Attr) p.ok(new MetaCommand.SetAttr(f.ino(), mask, mode, uid, gid, atime, mtime, 0, size,
                p.tick()))).inode();
    }

    @Test
    void setattrChangesOnlyWhatTheMaskSelects() {
        Inode chmod = setAttr(SetAttrMask.MODE, FileType.DIRECTORY.mode(04700), 9, 9, 0, 0, 0);
        assertThat(chmod.type()).as("the type bits never change").isEqualTo(FileType.REGULAR);
        assertThat(chmod.mode() & 07777).isEqualTo(04700);
        assertThat(chmod.uid()).isEqualTo(1000);
        assertThat(chmod.ctime()).isEqualTo(p.time);
        Inode chown = setAttr(SetAttrMask.UID | SetAttrMask.GID, 0, 5, 6, 0, 0, 0);
        assertThat(chown.uid()).isEqualTo(5);
        assertThat(chown.gid()).isEqualTo(6);
        assertThat(chown.mode() & 07777).isEqualTo(04700);
        Inode touch = setAttr(SetAttrMask.ATIME | SetAttrMask.MTIME, 0, 0, 0, 111, 222, 0);
        assertThat(touch.atime()).isEqualTo(111);
        assertThat(touch.mtime()).isEqualTo(222);
        Inode ctime = ((MetaResult.Attr) p.ok(new MetaCommand.SetAttr(f.ino(), SetAttrMask.CTIME, 0, 0, 0, 0, 0, 333,
                0, p.tick()))).inode();
        assertThat(ctime.ctime()).isEqualTo(333);
        assertThat(p.attr(f.ino())).isEqualTo(ctime);
        assertThat(p.error(new MetaCommand.SetAttr(99, SetAttrMask.MODE, 0, 0, 0, 0, 0, 0, 0, p.tick())))
                .isEqualTo(FsError.ENOENT);
    }

    @Test
    void truncateCutsExtentsAtTheBlockAfterTheNewEndAndRecordsTheFreedPieces() {
        p.allocate(f.ino(), 0, 12288);
        p.ok(new MetaCommand.AddExtents(f.ino(), List.of(), 12288, p.tick()));
        Inode cut = setAttr(SetAttrMask.SIZE, 0, 0, 0, 0, 0, 6000);
        assertThat(cut.size()).isEqualTo(6000);
        assertThat(cut.mtime()).isEqualTo(p.time);
        assertThat(cut.extents()).as("the block holding byte 5999 stays").containsExactly(new Extent(0, 0, 8192));
        MetaResult.Deleted deleted = (MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10));
        assertThat(deleted.freed()).hasSize(1);
        assertThat(deleted.freed().get(0).extents()).containsExactly(new Extent(8192, 8192, 4096));
        Inode grown = setAttr(SetAttrMask.SIZE, 0, 0, 0, 0, 0, 1 << 20);
        assertThat(grown.size()).as("a sparse tail").isEqualTo(1 << 20);
        assertThat(grown.extents()).hasSize(1);
        assertThat(stats().bytesUsed()).as("cut space counts until GC releases it").isEqualTo(12288);
        assertThat(p.error(new MetaCommand.PurgeDeleted(f.ino()))).as("space is released, not purged")
                .isEqualTo(FsError.EINVAL);
        p.ok(new MetaCommand.ReleaseSpace(f.ino(), deleted.freed().get(0).index(), List.of(new Extent(8192, 8192,
                4096))));
        assertThat(stats().bytesUsed()).isEqualTo(8192);
        assertThat(((MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10))).freed()).isEmpty();
        assertThat(p.error(new MetaCommand.PurgeDeleted(f.ino()))).isEqualTo(FsError.ENOENT);
    }

    @Test
    void sizeChangesAreRefusedOnDirectoriesAndNegativeSizes() {
        assertThat(p.error(new MetaCommand.SetAttr(ROOT_INO, SetAttrMask.SIZE, 0, 0, 0, 0, 0, 0, 0, p.tick())))
                .isEqualTo(FsError.EISDIR);
        assertThat(p.error(new MetaCommand.SetAttr(f.ino(), SetAttrMask.SIZE, 0, 0, 0, 0, 0, 0, -1, p.tick())))
                .isEqualTo(FsError.EINVAL);
    }

    @Test
    void addExtentsRecordsWrittenSizeInHeldSpaceOnly() {
        MetaResult.Allocated got = p.allocate(f.ino(), 0, 8192);
        Inode after = ((MetaResult.Attr) p.ok(new MetaCommand.AddExtents(f.ino(), got.extents(), 8000, p.tick())))
                .inode();
        assertThat(after.extents()).isEqualTo(got.extents());
        assertThat(after.size()).isEqualTo(8000);
        assertThat(after.mtime()).isEqualTo(p.time);
        Inode again = ((MetaResult.Attr) p.ok(new MetaCommand.AddExtents(f.ino(),
                List.of(new Extent(4096, 4096, 4096)), 100, p.tick()))).inode();
        assertThat(again.size()).as("never shrinks on a write").isEqualTo(8000);
        assertThat(p.error(new MetaCommand.AddExtents(f.ino(), List.of(new Extent(0, 1 << 20, 4096)), 1, p.tick())))
                .as("space the inode does not hold").isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.AddExtents(ROOT_INO, List.of(), 1, p.tick()))).isEqualTo(FsError.EISDIR);
        assertThat(stats().bytesUsed()).isEqualTo(8192);
        assertThat(((MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10))).freed()).isEmpty();
    }

    private Inode writeInline(long offset, String text) {
        return ((MetaResult.Attr) p.ok(new MetaCommand.WriteInline(f.ino(), offset, text.getBytes(
                StandardCharsets.US_ASCII), p.tick()))).inode();
    }

    @Test
    void aSmallFileKeepsItsBytesInlineUntilAddExtentsSaysTheyMoved() {
        Inode one = writeInline(0, "hello");
        assertThat(one.inline()).containsExactly("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(one.size()).isEqualTo(5);
        assertThat(one.mtime()).isEqualTo(p.time);
        Inode gap = writeInline(8, "xy");
        assertThat(gap.inline()).containsExactly('h', 'e', 'l', 'l', 'o', 0, 0, 0, 'x', 'y');
        assertThat(p.attr(f.ino())).as("stored").isEqualTo(gap);
        assertThat(stats().bytesUsed()).as("no volume space").isZero();

        Inode cut = setAttr(SetAttrMask.SIZE, 0, 0, 0, 0, 0, 3);
        assertThat(cut.inline()).as("a truncate cuts the inline bytes").containsExactly('h', 'e', 'l');
        Inode grown = setAttr(SetAttrMask.SIZE, 0, 0, 0, 0, 0, 100_000);
        assertThat(grown.inline()).as("growing keeps them; the rest reads as zeros").hasSize(3);

        assertThat(p.error(new MetaCommand.WriteInline(f.ino(), 8190, new byte[3], p.tick())))
                .as("past INLINE_MAX").isEqualTo(FsError.EINVAL);
        MetaResult.Allocated got = p.allocate(f.ino(), 0, 4096);
        assertThat(p.error(new MetaCommand.AddExtents(f.ino(), got.extents(), 100, p.tick())))
                .as("the inline bytes were not moved").isEqualTo(FsError.EAGAIN);
        assertThat(p.attr(f.ino()).inline()).as("allocated space does not end inline data").hasSize(3);
        assertThat(p.error(new MetaCommand.WriteInline(f.ino(), 0, new byte[1], p.tick())))
                .as("a file holding extents writes through them").isEqualTo(FsError.EAGAIN);
        assertThat(p.error(new MetaCommand.AddExtents(f.ino(), got.extents(), 100, p.tick(), new byte[] {'h', 'e'})))
                .as("not the inline bytes the inode holds").isEqualTo(FsError.EAGAIN);
        Inode moved = ((MetaResult.Attr) p.ok(new MetaCommand.AddExtents(f.ino(), got.extents(), 100, p.tick(),
                new byte[] {'h', 'e', 'l'}))).inode();
        assertThat(moved.isInline()).isFalse();
        assertThat(moved.size()).isEqualTo(100_000);
        assertThat(moved.extents()).isEqualTo(got.extents());
        assertThat(p.error(new MetaCommand.AddExtents(f.ino(), got.extents(), 100, p.tick(),
                new byte[] {'h', 'e', 'l'}))).as("moved already: a second mover's view is old").isEqualTo(FsError.EAGAIN);
        assertThat(p.error(new MetaCommand.WriteInline(ROOT_INO, 0, new byte[1], p.tick())))
                .isEqualTo(FsError.EISDIR);
    }

    @Test
    void replaceExtentsMayMergeSplitOrDropHeldSpaceAndFreesWhatIsGone() {
        p.allocate(f.ino(), 0, 4096);
        Inode other = p.create(ROOT_INO, "g");
        p.allocate(other.ino(), 0, 4096);
        p.allocate(f.ino(), 4096, 8192); // not contiguous with f's first block on the volume: g's block is between
        Inode held = p.attr(f.ino());
        assertThat(held.extents()).containsExactly(new Extent(0, 0, 4096), new Extent(4096, 8192, 8192));
        Inode split = ((MetaResult.Attr) p.ok(new MetaCommand.ReplaceExtents(f.ino(), List.of(
                new Extent(0, 0, 4096), new Extent(4096, 8192, 4096)), 8192, p.tick()))).inode();
        assertThat(split.size()).isEqualTo(8192);
        MetaResult.Deleted deleted = (MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10));
        assertThat(deleted.freed().get(0).extents()).containsExactly(new Extent(8192, 12288, 4096));
        assertThat(stats().bytesUsed()).isEqualTo(4 * 4096);
        assertThat(p.error(new MetaCommand.ReplaceExtents(f.ino(), List.of(new Extent(0, 4096, 4096)), 4096,
                p.tick()))).as("g's block").isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.ReplaceExtents(f.ino(), List.of(new Extent(0, 0, 4096),
                new Extent(100, 0, 4096)), 5000, p.tick()))).isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.ReplaceExtents(f.ino(), List.of(new Extent(0, 0, 100)), 100,
                p.tick()))).as("not whole blocks").isEqualTo(FsError.EINVAL);
    }

    @Test
    void gcReleasesAnOrphanWithItsSpaceAndXattrs() {
        MetaResult.Allocated got = p.allocate(f.ino(), 0, 4096);
        p.ok(new MetaCommand.SetXattr(f.ino(), "user.a", new byte[] {1}, 0, p.tick()));
        p.ok(new MetaCommand.Unlink(ROOT_INO, "f", p.tick()));
        assertThat(stats().inodesUsed()).isEqualTo(2);
        MetaResult.Deleted deleted = (MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10));
        assertThat(deleted.orphans()).containsExactly(f.ino());
        assertThat(deleted.orphanedAt()).containsExactly(p.time);
        assertThat(p.error(new MetaCommand.ReleaseSpace(f.ino(), MetaCommand.ReleaseSpace.ORPHAN, List.of())))
                .as("not what the orphan holds").isEqualTo(FsError.EAGAIN);
        p.ok(new MetaCommand.ReleaseSpace(f.ino(), MetaCommand.ReleaseSpace.ORPHAN, got.extents()));
        assertThat(stats().inodesUsed()).isEqualTo(1);
        assertThat(stats().bytesUsed()).isZero();
        assertThat(p.query(new MetaQuery.GetAttr(f.ino())).error()).isEqualTo(FsError.ENOENT);
        p.store.scan(PartitionSchema.XATTRS, new byte[0], 10, (k, v) -> {
            throw new AssertionError("xattr left behind");
        });
        assertThat(p.error(new MetaCommand.ReleaseSpace(f.ino(), MetaCommand.ReleaseSpace.ORPHAN, got.extents())))
                .isEqualTo(FsError.ENOENT);
    }

    @Test
    void keepingAnOrphanDatesItsGraceAnewAndIsRefusedForAFileWithANameOrOneReleased() {
        assertThat(p.error(new MetaCommand.KeepOrphan(f.ino(), p.tick()))).as("f still has its name")
                .isEqualTo(FsError.ENOENT);
        p.ok(new MetaCommand.Unlink(ROOT_INO, "f", p.tick()));
        long unlinkedAt = p.time;
        long keptAt = p.tick() + 60_000_000_000L;
        p.ok(new MetaCommand.KeepOrphan(f.ino(), keptAt));
        MetaResult.Deleted deleted = (MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10));
        assertThat(deleted.orphans()).containsExactly(f.ino());
        assertThat(deleted.orphanedAt()).as("not " + unlinkedAt).containsExactly(keptAt);
        p.ok(new MetaCommand.KeepOrphan(f.ino(), keptAt - 1)); // late, or from a mount whose clock lags
        assertThat(((MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10))).orphanedAt())
                .as("never dated backwards").containsExactly(keptAt);
        assertThat(p.attr(f.ino()).nlink()).isZero();
        p.ok(new MetaCommand.PurgeDeleted(f.ino()));
        assertThat(p.error(new MetaCommand.KeepOrphan(f.ino(), p.tick()))).as("released").isEqualTo(FsError.ENOENT);
        assertThat(p.error(new MetaCommand.KeepOrphan(99, p.tick()))).isEqualTo(FsError.ENOENT);
    }

    @Test
    void anOrphanWithoutSpaceIsPurged() {
        p.ok(new MetaCommand.Unlink(ROOT_INO, "f", p.tick()));
        p.ok(new MetaCommand.PurgeDeleted(f.ino()));
        assertThat(stats().inodesUsed()).isEqualTo(1);
        assertThat(p.query(new MetaQuery.GetAttr(f.ino())).error()).isEqualTo(FsError.ENOENT);
    }

    @Test
    void xattrFlagsFollowSetxattr() {
        byte[] v1 = "one".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "two".getBytes(StandardCharsets.UTF_8);
        assertThat(xattr("user.a", v1, XattrFlags.REPLACE)).isEqualTo(FsError.ENODATA);
        assertThat(xattr("user.a", v1, XattrFlags.CREATE)).isEqualTo(FsError.OK);
        assertThat(xattr("user.a", v2, XattrFlags.CREATE)).isEqualTo(FsError.EEXIST);
        assertThat(xattr("user.a", v2, XattrFlags.REPLACE)).isEqualTo(FsError.OK);
        assertThat(xattr("user.a", v2, 3)).isEqualTo(FsError.EINVAL);
        assertThat(xattr("user.b", new byte[0], 0)).isEqualTo(FsError.OK);
        assertThat(xattr("user." + "x".repeat(255), v1, 0)).isEqualTo(FsError.ERANGE);
        assertThat(xattr("user.big", new byte[65537], 0)).isEqualTo(FsError.ENOSPC);
        assertThat(((MetaResult.Value) p.okQuery(new MetaQuery.GetXattr(f.ino(), "user.a"))).value()).isEqualTo(v2);
        assertThat(((MetaResult.Value) p.okQuery(new MetaQuery.GetXattr(f.ino(), "user.b"))).value()).isEmpty();
        assertThat(((MetaResult.Names) p.okQuery(new MetaQuery.ListXattr(f.ino()))).names())
                .containsExactly("user.a", "user.b");
        assertThat(p.attr(f.ino()).ctime()).isEqualTo(p.time - 2000);
        p.ok(new MetaCommand.RemoveXattr(f.ino(), "user.a", p.tick()));
        assertThat(p.error(new MetaCommand.RemoveXattr(f.ino(), "user.a", p.tick()))).isEqualTo(FsError.ENODATA);
        assertThat(p.query(new MetaQuery.GetXattr(f.ino(), "user.a")).error()).isEqualTo(FsError.ENODATA);
        assertThat(((MetaResult.Names) p.okQuery(new MetaQuery.ListXattr(f.ino()))).names())
                .containsExactly("user.b");
        assertThat(p.query(new MetaQuery.ListXattr(77)).error()).isEqualTo(FsError.ENOENT);
    }

    private FsError xattr(String name, byte[] value, int flags) {
        return p.error(new MetaCommand.SetXattr(f.ino(), name, value, flags, p.tick()));
    }

    @Test
    void fsyncIsABarrierOnAnExistingInode() {
        assertThat(p.error(new MetaCommand.Fsync(f.ino()))).isEqualTo(FsError.OK);
        assertThat(p.error(new MetaCommand.Fsync(55))).isEqualTo(FsError.ENOENT);
    }

    private PartitionStats stats() {
        return ((MetaResult.Stats) p.okQuery(new MetaQuery.StatFs())).stats();
    }

    /** A file of size bytes, its space allocated and written: what a finished PUT of a part leaves. */
    private Inode written(String name, long size) {
        Inode file = p.create(ROOT_INO, name);
        MetaResult.Allocated got = p.allocate(file.ino(), 0, size);
        return ((MetaResult.Attr) p.ok(new MetaCommand.AddExtents(file.ino(), got.extents(), size, p.tick()))).inode();
    }

    @Test
    void joinMovesTheSourcesExtentsInOrderBehindEachOtherWithoutNewSpace() {
        Inode a = written("a", 8192);
        Inode b = written("b", 12288);
        Inode c = written("c", 5000);
        long usedBefore = PartitionCommands.stats(p.store).bytesUsed();

        Inode joined = ((MetaResult.Attr) p.ok(new MetaCommand.JoinFiles(f.ino(), List.of(a.ino(), b.ino(), c.ino()),
                p.tick()))).inode();

        assertThat(joined.size()).isEqualTo(8192 + 12288 + 5000);
        List<Extent> expected = new java.util.ArrayList<>();
        long at = 0;
        for (Inode source : List.of(a, b, c)) {
            for (Extent e : source.extents()) {
                expected.add(new Extent(at + e.fileOffset(), e.volumeOffset(), e.length()));
            }
            at += source.size();
        }
        assertThat(ExtentMap.minus(joined.extents(), expected)).as("nothing but the sources' own space").isEmpty();
        assertThat(ExtentMap.minus(expected, joined.extents())).as("all of the sources' space").isEmpty();
        assertThat(p.attr(f.ino())).isEqualTo(joined);
        for (Inode source : List.of(a, b, c)) {
            assertThat(p.attr(source.ino()).size()).isZero();
            assertThat(p.attr(source.ino()).extents()).isEmpty();
        }
        assertThat(PartitionCommands.stats(p.store).bytesUsed()).as("no space allocated or freed").isEqualTo(usedBefore);
    }

    @Test
    void joinRefusesWhatWouldNeedCopyingAndChangesNothing() {
        Inode odd = written("odd", 5000);
        Inode whole = written("whole", 8192);
        Inode tiny = p.create(ROOT_INO, "tiny");
        p.ok(new MetaCommand.WriteInline(tiny.ino(), 0, new byte[] {1, 2, 3}, p.tick()));

        assertThat(p.error(new MetaCommand.JoinFiles(f.ino(), List.of(odd.ino(), whole.ino()), p.tick())))
                .as("a source that ends mid-block before another").isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.JoinFiles(f.ino(), List.of(whole.ino(), tiny.ino()), p.tick())))
                .as("an inline source").isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.JoinFiles(whole.ino(), List.of(odd.ino()), p.tick())))
                .as("a target that holds data").isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.JoinFiles(f.ino(), List.of(whole.ino(), whole.ino()), p.tick())))
                .as("a source twice").isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.JoinFiles(f.ino(), List.of(whole.ino(), 1000L), p.tick())))
                .as("an inode of another partition").isEqualTo(FsError.EXDEV);
        assertThat(p.error(new MetaCommand.JoinFiles(f.ino(), List.of(ROOT_INO), p.tick())))
                .isEqualTo(FsError.EISDIR);
        assertThat(p.attr(whole.ino()).extents()).isEqualTo(whole.extents());
        assertThat(p.attr(f.ino()).size()).isZero();
    }
}
