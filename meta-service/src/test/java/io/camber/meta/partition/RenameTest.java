package io.camber.meta.partition;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rename inside one partition: one atomic command, POSIX's rules on what may replace what. */
class RenameTest {
    @TempDir
    Path dir;
    PartitionFixture p;

    @BeforeEach
    void open() {
        p = new PartitionFixture(dir, 1, 1000);
    }

    @AfterEach
    void close() {
        p.close();
    }

    private FsError rename(long srcParent, String src, long dstParent, String dst) {
        return p.error(new MetaCommand.Rename(srcParent, src, dstParent, dst, p.tick()));
    }

    @Test
    void movesAFileBetweenDirectories() {
        Inode a = p.mkdir(ROOT_INO, "a");
        Inode b = p.mkdir(ROOT_INO, "b");
        Inode f = p.create(a.ino(), "f");
        assertThat(rename(a.ino(), "f", b.ino(), "g")).isEqualTo(FsError.OK);
        assertThat(p.lookup(a.ino(), "f")).isZero();
        assertThat(p.lookup(b.ino(), "g")).isEqualTo(f.ino());
        assertThat(p.attr(f.ino()).ctime()).isEqualTo(p.time);
        assertThat(p.attr(a.ino()).mtime()).isEqualTo(p.time);
        assertThat(p.attr(b.ino()).mtime()).isEqualTo(p.time);
        assertThat(p.attr(a.ino()).nlink()).isEqualTo(2);
    }

    @Test
    void renameWithinOneDirectory() {
        Inode f = p.create(ROOT_INO, "f");
        assertThat(rename(ROOT_INO, "f", ROOT_INO, "g")).isEqualTo(FsError.OK);
        assertThat(p.lookup(ROOT_INO, "g")).isEqualTo(f.ino());
        assertThat(p.lookup(ROOT_INO, "f")).isZero();
        assertThat(rename(ROOT_INO, "g", ROOT_INO, "g")).as("onto itself").isEqualTo(FsError.OK);
        assertThat(p.lookup(ROOT_INO, "g")).isEqualTo(f.ino());
    }

    @Test
    void aFileReplacesAFileWhoseLastLinkBecomesAnOrphan() {
        Inode f = p.create(ROOT_INO, "f");
        Inode g = p.create(ROOT_INO, "g");
        assertThat(rename(ROOT_INO, "f", ROOT_INO, "g")).isEqualTo(FsError.OK);
        assertThat(p.lookup(ROOT_INO, "g")).isEqualTo(f.ino());
        assertThat(p.attr(g.ino()).nlink()).isZero();
        assertThat(((MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(10))).orphans())
                .containsExactly(g.ino());
    }

    @Test
    void twoNamesOfOneInodeLeaveBothInPlace() {
        Inode f = p.create(ROOT_INO, "f");
        p.ok(new MetaCommand.Link(f.ino(), ROOT_INO, "g", p.tick()));
        assertThat(rename(ROOT_INO, "f", ROOT_INO, "g")).isEqualTo(FsError.OK);
        assertThat(p.lookup(ROOT_INO, "f")).isEqualTo(f.ino());
        assertThat(p.attr(f.ino()).nlink()).isEqualTo(2);
    }

    @Test
    void aDirectoryReplacesOnlyAnEmptyDirectory() {
        Inode a = p.mkdir(ROOT_INO, "a");
        Inode empty = p.mkdir(ROOT_INO, "empty");
        Inode full = p.mkdir(ROOT_INO, "full");
        p.create(full.ino(), "x");
        p.create(ROOT_INO, "file");
        assertThat(rename(ROOT_INO, "a", ROOT_INO, "full")).isEqualTo(FsError.ENOTEMPTY);
        assertThat(rename(ROOT_INO, "a", ROOT_INO, "file")).isEqualTo(FsError.ENOTDIR);
        assertThat(rename(ROOT_INO, "file", ROOT_INO, "a")).isEqualTo(FsError.EISDIR);
        assertThat(p.attr(ROOT_INO).nlink()).isEqualTo(5);
        assertThat(rename(ROOT_INO, "a", ROOT_INO, "empty")).isEqualTo(FsError.OK);
        assertThat(p.lookup(ROOT_INO, "empty")).isEqualTo(a.ino());
        assertThat(p.query(new MetaQuery.GetAttr(empty.ino())).error()).as("a replaced dir is gone")
                .isEqualTo(FsError.ENOENT);
        assertThat(p.attr(ROOT_INO).nlink()).isEqualTo(4);
    }

    @Test
    void movingADirectoryUpdatesDotDotAndLinkCounts() {
        Inode a = p.mkdir(ROOT_INO, "a");
        Inode b = p.mkdir(ROOT_INO, "b");
        Inode d = p.mkdir(a.ino(), "d");
        assertThat(rename(a.ino(), "d", b.ino(), "d")).isEqualTo(FsError.OK);
        assertThat(p.attr(d.ino()).parent()).isEqualTo(b.ino());
        assertThat(p.attr(a.ino()).nlink()).isEqualTo(2);
        assertThat(p.attr(b.ino()).nlink()).isEqualTo(3);
    }

    @Test
    void aDirectoryCannotMoveIntoItsOwnSubtree() {
        Inode a = p.mkdir(ROOT_INO, "a");
        Inode b = p.mkdir(a.ino(), "b");
        Inode c = p.mkdir(b.ino(), "c");
        assertThat(rename(ROOT_INO, "a", c.ino(), "a")).isEqualTo(FsError.EINVAL);
        assertThat(rename(ROOT_INO, "a", a.ino(), "self")).isEqualTo(FsError.EINVAL);
        assertThat(p.lookup(ROOT_INO, "a")).isEqualTo(a.ino());
        assertThat(rename(a.ino(), "b", ROOT_INO, "b")).as("moving up is fine").isEqualTo(FsError.OK);
    }

    @Test
    void errorsOnMissingNamesAndBadTargets() {
        p.create(ROOT_INO, "f");
        assertThat(rename(ROOT_INO, "missing", ROOT_INO, "x")).isEqualTo(FsError.ENOENT);
        assertThat(rename(ROOT_INO, "f", 2, "x")).isEqualTo(FsError.ENOTDIR);
        assertThat(rename(ROOT_INO, "f", ROOT_INO, "x".repeat(256))).isEqualTo(FsError.ENAMETOOLONG);
        assertThat(rename(ROOT_INO, "f", ROOT_INO, "a/b")).isEqualTo(FsError.EINVAL);
        assertThat(rename(ROOT_INO, "f", 5000, "x")).as("parent of another partition").isEqualTo(FsError.EINVAL);
        assertThat(p.lookup(ROOT_INO, "f")).isEqualTo(2);
    }
}
