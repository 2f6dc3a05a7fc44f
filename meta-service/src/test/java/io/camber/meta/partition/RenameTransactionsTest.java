package io.camber.meta.partition;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.RenameIntent;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition-side primitives of a cross-partition rename, on two partitions: prepare locks, commit on the
 * primary decides, the target follows, rollback and resolve undo, and no step can leave both names or none.
 */
class RenameTransactionsTest {
    static final long TTL = 5_000_000_000L;

    @TempDir
    Path dir;
    PartitionFixture src;
    PartitionFixture dst;
    Inode file;
    Inode far;

    @BeforeEach
    void open() {
        src = new PartitionFixture(dir.resolve("p0"), 7, 0, 1, 100);
        dst = new PartitionFixture(dir.resolve("p1"), 7, 1, 100, 200);
        file = src.create(ROOT_INO, "a");
        far = ((MetaResult.Attr) dst.ok(new MetaCommand.MakeInode(ROOT_INO, PartitionFixture.DIR, 0, 0, 0, null,
                dst.tick()))).inode();
        src.ok(new MetaCommand.AddDentry(ROOT_INO, "far", far.ino(), FileType.DIRECTORY, src.tick()));
    }

    @AfterEach
    void close() {
        src.close();
        dst.close();
    }

    private RenameIntent prepare(String txid, String dstName) {
        RenameIntent s = ((MetaResult.Rename) src.ok(new MetaCommand.PrepareRenameSource(txid, ROOT_INO, "a",
                far.ino(), dstName, 1, src.tick()))).intent();
        dst.ok(new MetaCommand.PrepareRenameTarget(txid, ROOT_INO, "a", far.ino(), dstName, s.ino(), s.type(), 0,
                dst.tick()));
        return s;
    }

    @Test
    void aCommittedRenameMovesTheNameAcross() {
        RenameIntent s = prepare("tx1", "b");
        assertThat(s.ino()).isEqualTo(file.ino());
        assertThat(dst.lookupError(far.ino(), "b")).as("in flight: resolve first").isEqualTo(FsError.EAGAIN);
        assertThat(src.lookup(ROOT_INO, "a")).as("still there until the commit point").isEqualTo(file.ino());
        assertThat(src.error(new MetaCommand.Unlink(ROOT_INO, "a", src.tick()))).isEqualTo(FsError.EBUSY);
        assertThat(dst.error(new MetaCommand.MakeNode(far.ino(), "b", PartitionFixture.FILE, 0, 0, 0, null,
                dst.tick()))).isEqualTo(FsError.EBUSY);

        src.ok(new MetaCommand.CommitRename("tx1", src.tick()));
        assertThat(src.lookup(ROOT_INO, "a")).isZero();
        assertThat(src.attr(file.ino()).ctime()).as("the source partition holds the inode").isEqualTo(src.time);
        dst.ok(new MetaCommand.CommitRename("tx1", dst.tick()));
        assertThat(dst.lookup(far.ino(), "b")).isEqualTo(file.ino());
        assertThat(status(src, "tx1")).isEqualTo(RenameIntent.State.COMMITTED);
        assertThat(status(dst, "tx1")).as("the target forgets").isEqualTo(RenameIntent.State.UNKNOWN);
        assertThat(src.error(new MetaCommand.CommitRename("tx1", src.tick()))).as("repeatable").isEqualTo(FsError.OK);
        assertThat(dst.error(new MetaCommand.CommitRename("tx1", dst.tick()))).isEqualTo(FsError.ENOENT);
        src.ok(new MetaCommand.ForgetRename("tx1"));
        assertThat(status(src, "tx1")).isEqualTo(RenameIntent.State.UNKNOWN);
        assertThat(pending(src)).isZero();
        assertThat(pending(dst)).isZero();
    }

    @Test
    void aReplacedTargetOfTheTargetPartitionLosesItsLink() {
        Inode old = dst.create(far.ino(), "b");
        prepare("tx2", "b");
        src.ok(new MetaCommand.CommitRename("tx2", src.tick()));
        dst.ok(new MetaCommand.CommitRename("tx2", dst.tick()));
        assertThat(dst.lookup(far.ino(), "b")).isEqualTo(file.ino());
        assertThat(dst.attr(old.ino()).nlink()).isZero();
    }

    @Test
    void prepareChecksTheTargetLikeARename() {
        Inode sub = dst.mkdir(far.ino(), "sub");
        dst.create(sub.ino(), "x");
        src.ok(new MetaCommand.PrepareRenameSource("tx3", ROOT_INO, "a", far.ino(), "sub", 1, src.tick()));
        assertThat(dst.error(new MetaCommand.PrepareRenameTarget("tx3", ROOT_INO, "a", far.ino(), "sub",
                file.ino(), FileType.REGULAR, 0, dst.tick()))).isEqualTo(FsError.EISDIR);
        assertThat(src.error(new MetaCommand.PrepareRenameSource("tx4", ROOT_INO, "missing", far.ino(), "z", 1,
                src.tick()))).isEqualTo(FsError.ENOENT);
        assertThat(src.error(new MetaCommand.PrepareRenameSource("tx5", ROOT_INO, "a", far.ino(), "z", 1,
                src.tick()))).as("a is locked by tx3").isEqualTo(FsError.EBUSY);
        assertThat(dst.error(new MetaCommand.PrepareRenameTarget("tx6", ROOT_INO, "far", sub.ino(), "far",
                far.ino(), FileType.DIRECTORY, 0, dst.tick()))).as("far into its own subtree").isEqualTo(FsError.EINVAL);
    }

    @Test
    void anEmptyDirectoryBeingReplacedTakesNoNewEntries() {
        Inode moved = src.mkdir(ROOT_INO, "d");
        Inode empty = dst.mkdir(far.ino(), "e");
        src.ok(new MetaCommand.PrepareRenameSource("tx7", ROOT_INO, "d", far.ino(), "e", 1, src.tick()));
        dst.ok(new MetaCommand.PrepareRenameTarget("tx7", ROOT_INO, "d", far.ino(), "e", moved.ino(),
                FileType.DIRECTORY, 0, dst.tick()));
        assertThat(dst.error(new MetaCommand.MakeNode(empty.ino(), "x", PartitionFixture.FILE, 0, 0, 0, null,
                dst.tick()))).isEqualTo(FsError.EBUSY);
        src.ok(new MetaCommand.CommitRename("tx7", src.tick()));
        dst.ok(new MetaCommand.CommitRename("tx7", dst.tick()));
        assertThat(dst.lookup(far.ino(), "e")).isEqualTo(moved.ino());
        assertThat(dst.query(new MetaQuery.GetAttr(empty.ino())).error()).isEqualTo(FsError.ENOENT);
        assertThat(src.attr(moved.ino()).parent()).as("'..' follows the move").isEqualTo(far.ino());
        assertThat(src.attr(ROOT_INO).nlink()).isEqualTo(3); // root: ., .., far
        assertThat(dst.attr(far.ino()).nlink()).isEqualTo(3); // far: ., .., e
    }

    @Test
    void aDirectoryReceivingANameCannotBeRemovedMeanwhile() {
        Inode sub = dst.mkdir(far.ino(), "sub");
        src.ok(new MetaCommand.PrepareRenameSource("tx11", ROOT_INO, "a", sub.ino(), "x", 1, src.tick()));
        dst.ok(new MetaCommand.PrepareRenameTarget("tx11", ROOT_INO, "a", sub.ino(), "x", file.ino(),
                FileType.REGULAR, 0, dst.tick()));
        assertThat(dst.error(new MetaCommand.Rmdir(far.ino(), "sub", dst.tick()))).isEqualTo(FsError.EBUSY);
        src.ok(new MetaCommand.CommitRename("tx11", src.tick()));
        dst.ok(new MetaCommand.CommitRename("tx11", dst.tick()));
        assertThat(dst.lookup(sub.ino(), "x")).isEqualTo(file.ino());
        assertThat(dst.error(new MetaCommand.Rmdir(far.ino(), "sub", dst.tick()))).isEqualTo(FsError.ENOTEMPTY);
    }

    @Test
    void twoNamesOfOneInodeAreRefusedAsNothingToDo() {
        src.ok(new MetaCommand.AdjustLinks(file.ino(), 1, src.tick()));
        dst.ok(new MetaCommand.AddDentry(far.ino(), "same", file.ino(), FileType.REGULAR, dst.tick()));
        src.ok(new MetaCommand.PrepareRenameSource("tx12", ROOT_INO, "a", far.ino(), "same", 1, src.tick()));
        assertThat(dst.error(new MetaCommand.PrepareRenameTarget("tx12", ROOT_INO, "a", far.ino(), "same",
                file.ino(), FileType.REGULAR, 0, dst.tick()))).isEqualTo(FsError.EEXIST);
    }

    @Test
    void rollbackOnBothSidesLeavesOnlyTheSource() {
        prepare("tx8", "b");
        dst.ok(new MetaCommand.RollbackRename("tx8", dst.tick()));
        src.ok(new MetaCommand.RollbackRename("tx8", src.tick()));
        assertThat(src.lookup(ROOT_INO, "a")).isEqualTo(file.ino());
        assertThat(dst.lookupError(far.ino(), "b")).isEqualTo(FsError.ENOENT);
        assertThat(src.error(new MetaCommand.CommitRename("tx8", src.tick()))).isEqualTo(FsError.EINVAL);
        assertThat(src.error(new MetaCommand.PrepareRenameSource("tx8", ROOT_INO, "a", far.ino(), "b", 1,
                src.tick()))).as("an aborted txid is never reused").isEqualTo(FsError.EINVAL);
        assertThat(src.error(new MetaCommand.Unlink(ROOT_INO, "a", src.tick()))).as("unlocked").isEqualTo(FsError.OK);
    }

    @Test
    void aCommittedPrimaryRefusesRollback() {
        prepare("tx9", "b");
        src.ok(new MetaCommand.CommitRename("tx9", src.tick()));
        assertThat(src.error(new MetaCommand.RollbackRename("tx9", src.tick()))).isEqualTo(FsError.EINVAL);
        assertThat(src.error(new MetaCommand.ForgetRename("tx9"))).isEqualTo(FsError.OK);
    }

    @Test
    void resolveAbortsOnlyExpiredOrUnknownRenames() {
        RenameIntent s = prepare("tx10", "b");
        RenameIntent young = resolve("tx10", s.preparedAt() + TTL - 1);
        assertThat(young.state()).isEqualTo(RenameIntent.State.PREPARED);
        RenameIntent old = resolve("tx10", s.preparedAt() + TTL);
        assertThat(old.state()).isEqualTo(RenameIntent.State.ABORTED);
        assertThat(src.lookup(ROOT_INO, "a")).isEqualTo(file.ino());

        assertThat(resolve("never-prepared", src.tick()).state()).isEqualTo(RenameIntent.State.ABORTED);
        assertThat(src.error(new MetaCommand.PrepareRenameSource("never-prepared", ROOT_INO, "a", far.ino(), "c", 1,
                src.tick()))).as("a late prepare after the abort is refused").isEqualTo(FsError.EINVAL);
        assertThat(dst.error(new MetaCommand.ResolveRename("tx10", dst.tick(), TTL))).as("only the primary decides")
                .isEqualTo(FsError.EINVAL);
        assertThat(src.error(new MetaCommand.ForgetRename("tx10"))).isEqualTo(FsError.OK);
    }

    private RenameIntent resolve(String txid, long now) {
        return ((MetaResult.Rename) src.ok(new MetaCommand.ResolveRename(txid, now, TTL))).intent();
    }

    private static RenameIntent.State status(PartitionFixture p, String txid) {
        return ((MetaResult.Rename) p.okQuery(new MetaQuery.RenameStatus(txid))).intent().state();
    }

    private static int pending(PartitionFixture p) {
        return ((MetaResult.Renames) p.okQuery(new MetaQuery.PendingRenames(10))).intents().size();
    }
}
