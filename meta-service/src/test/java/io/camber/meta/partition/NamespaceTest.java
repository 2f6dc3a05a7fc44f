package io.camber.meta.partition;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static io.camber.meta.partition.PartitionFixture.DIR;
import static io.camber.meta.partition.PartitionFixture.FILE;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionStats;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names in one partition: create, mkdir, mknod, symlink, link, unlink, rmdir, readdir, and their errors. */
class NamespaceTest {
    @TempDir
    Path dir;
    PartitionFixture p;

    @BeforeEach
    void open() {
        p = new PartitionFixture(dir, 1, 100);
    }

    @AfterEach
    void close() {
        p.close();
    }

    @Test
    void theFirstPartitionHoldsTheRootDirectory() {
        Inode root = p.attr(ROOT_INO);
        assertThat(root.type()).isEqualTo(FileType.DIRECTORY);
        assertThat(root.mode() & 07777).isEqualTo(0755);
        assertThat(root.nlink()).isEqualTo(2);
        PartitionStats stats = ((MetaResult.Stats) p.okQuery(new MetaQuery.StatFs())).stats();
        assertThat(stats.inodesUsed()).isEqualTo(1);
        assertThat(stats.nextIno()).isEqualTo(2);
    }

    @Test
    void createAllocatesInOrderAndLookupFindsIt() {
        Inode a = p.create(ROOT_INO, "a");
        Inode b = p.create(ROOT_INO, "b");
        assertThat(a.ino()).isEqualTo(2);
        assertThat(b.ino()).isEqualTo(3);
        assertThat(a.uid()).isEqualTo(1000);
        assertThat(a.nlink()).isEqualTo(1);
        assertThat(a.ctime()).isEqualTo(p.time - 1000); // the command's time, not the replica's clock
        assertThat(p.lookup(ROOT_INO, "a")).isEqualTo(2);
        assertThat(p.attr(ROOT_INO).mtime()).isEqualTo(b.ctime());
        assertThat(p.lookupError(ROOT_INO, "nope")).isEqualTo(FsError.ENOENT);
    }

    @Test
    void creatingErrors() {
        p.create(ROOT_INO, "a");
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "a", FILE, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.EEXIST);
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "x".repeat(256), FILE, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.ENAMETOOLONG);
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "é".repeat(128), FILE, 0, 0, 0, null, p.tick())))
                .as("256 bytes in UTF-8").isEqualTo(FsError.ENAMETOOLONG);
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "x".repeat(255), FILE, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.OK);
        for (String bad : List.of("a/b", "nul\0", ".", "..", "")) {
            assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, bad, FILE, 0, 0, 0, null, p.tick())))
                    .as(bad).isEqualTo(FsError.EINVAL);
        }
        assertThat(p.error(new MetaCommand.MakeNode(2, "under-a-file", FILE, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.ENOTDIR);
        assertThat(p.error(new MetaCommand.MakeNode(50, "in-missing-dir", FILE, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.ENOENT);
        assertThat(p.error(new MetaCommand.MakeNode(500, "other-partition", FILE, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "typeless", 0644, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.EINVAL);
    }

    @Test
    void aRefusedCommandChangesNothing() {
        p.create(ROOT_INO, "a");
        String before = p.store.digest();
        String beforeData = digestWithoutRaftIndex();
        p.error(new MetaCommand.MakeNode(ROOT_INO, "a", FILE, 0, 0, 0, null, p.tick()));
        assertThat(digestWithoutRaftIndex()).isEqualTo(beforeData);
        assertThat(p.store.digest()).isNotEqualTo(before); // only the applied index moved
    }

    private String digestWithoutRaftIndex() {
        StringBuilder all = new StringBuilder();
        for (String family : PartitionSchema.FAMILIES) {
            p.store.scan(family, new byte[0], Integer.MAX_VALUE, (k, v) -> all.append(family)
                    .append(java.util.HexFormat.of().formatHex(k)).append('=')
                    .append(java.util.HexFormat.of().formatHex(v)).append(';'));
        }
        return all.toString();
    }

    @Test
    void anExhaustedRangeAnswersEnospc(@TempDir Path other) {
        try (PartitionFixture small = new PartitionFixture(other, 7, 3, 1, 4)) {
            small.create(ROOT_INO, "a");
            small.create(ROOT_INO, "b");
            assertThat(small.error(new MetaCommand.MakeNode(ROOT_INO, "c", FILE, 0, 0, 0, null, small.tick())))
                    .isEqualTo(FsError.ENOSPC);
            small.ok(new MetaCommand.Unlink(ROOT_INO, "a", small.tick()));
            assertThat(small.error(new MetaCommand.MakeNode(ROOT_INO, "c", FILE, 0, 0, 0, null, small.tick())))
                    .as("ids are never reused").isEqualTo(FsError.ENOSPC);
        }
    }

    @Test
    void mkdirCountsSubdirectoriesInTheParentsLinks() {
        Inode d = p.mkdir(ROOT_INO, "d");
        assertThat(d.nlink()).isEqualTo(2);
        assertThat(d.parent()).isEqualTo(ROOT_INO);
        assertThat(p.attr(ROOT_INO).nlink()).isEqualTo(3);
        p.mkdir(d.ino(), "e");
        assertThat(p.attr(d.ino()).nlink()).isEqualTo(3);
        p.create(d.ino(), "f");
        assertThat(p.attr(d.ino()).nlink()).as("files do not count").isEqualTo(3);
    }

    @Test
    void symlinkAndReadlink() {
        Inode s = ((MetaResult.Attr) p.ok(new MetaCommand.MakeNode(ROOT_INO, "s", FileType.SYMLINK.mode(0777), 0, 0,
                0, "../target/é", p.tick()))).inode();
        assertThat(s.size()).isEqualTo("../target/é".getBytes(StandardCharsets.UTF_8).length);
        byte[] target = ((MetaResult.Value) p.okQuery(new MetaQuery.ReadLink(s.ino()))).value();
        assertThat(new String(target, StandardCharsets.UTF_8)).isEqualTo("../target/é");
        assertThat(p.query(new MetaQuery.ReadLink(ROOT_INO)).error()).isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "s2", FileType.SYMLINK.mode(0777), 0, 0, 0, "",
                p.tick()))).isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "s3", FileType.SYMLINK.mode(0777), 0, 0, 0,
                "x".repeat(4097), p.tick()))).isEqualTo(FsError.ENAMETOOLONG);
        assertThat(p.error(new MetaCommand.MakeNode(ROOT_INO, "f", FILE, 0, 0, 0, "t", p.tick())))
                .isEqualTo(FsError.EINVAL);
    }

    @Test
    void mknodKeepsTypeAndDevice() {
        Inode fifo = ((MetaResult.Attr) p.ok(new MetaCommand.MakeNode(ROOT_INO, "fifo", FileType.FIFO.mode(0600), 0,
                0, 0, null, p.tick()))).inode();
        Inode dev = ((MetaResult.Attr) p.ok(new MetaCommand.MakeNode(ROOT_INO, "null", FileType.CHAR_DEVICE.mode(0666),
                0, 0, (1L << 8) | 3, null, p.tick()))).inode();
        assertThat(fifo.type()).isEqualTo(FileType.FIFO);
        assertThat(p.attr(dev.ino()).rdev()).isEqualTo(259);
        assertThat(p.attr(dev.ino()).type()).isEqualTo(FileType.CHAR_DEVICE);
    }

    @Test
    void hardLinksCountAndTheLastUnlinkOrphansTheInode() {
        Inode f = p.create(ROOT_INO, "f");
        Inode d = p.mkdir(ROOT_INO, "d");
        Inode linked = ((MetaResult.Attr) p.ok(new MetaCommand.Link(f.ino(), d.ino(), "g", p.tick()))).inode();
        assertThat(linked.nlink()).isEqualTo(2);
        assertThat(p.lookup(d.ino(), "g")).isEqualTo(f.ino());
        assertThat(p.error(new MetaCommand.Link(f.ino(), d.ino(), "g", p.tick()))).isEqualTo(FsError.EEXIST);
        assertThat(p.error(new MetaCommand.Link(d.ino(), ROOT_INO, "dirlink", p.tick()))).isEqualTo(FsError.EPERM);
        assertThat(p.error(new MetaCommand.Link(500, ROOT_INO, "remote", p.tick()))).isEqualTo(FsError.EXDEV);

        Inode after = ((MetaResult.Attr) p.ok(new MetaCommand.Unlink(ROOT_INO, "f", p.tick()))).inode();
        assertThat(after.nlink()).isEqualTo(1);
        assertThat(deleted().orphans()).isEmpty();
        Inode last = ((MetaResult.Attr) p.ok(new MetaCommand.Unlink(d.ino(), "g", p.tick()))).inode();
        assertThat(last.nlink()).isZero();
        assertThat(deleted().orphans()).containsExactly(f.ino());
        assertThat(p.attr(f.ino()).nlink()).as("kept for open handles and GC").isZero();
        assertThat(p.error(new MetaCommand.Link(f.ino(), ROOT_INO, "revive", p.tick()))).isEqualTo(FsError.ENOENT);
        assertThat(p.lookupError(d.ino(), "g")).isEqualTo(FsError.ENOENT);
    }

    private MetaResult.Deleted deleted() {
        return (MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(100));
    }

    @Test
    void unlinkAndRmdirErrors() {
        Inode d = p.mkdir(ROOT_INO, "d");
        p.create(d.ino(), "f");
        p.create(ROOT_INO, "file");
        assertThat(p.error(new MetaCommand.Unlink(ROOT_INO, "d", p.tick()))).isEqualTo(FsError.EISDIR);
        assertThat(p.error(new MetaCommand.Unlink(ROOT_INO, "missing", p.tick()))).isEqualTo(FsError.ENOENT);
        assertThat(p.error(new MetaCommand.Rmdir(ROOT_INO, "d", p.tick()))).isEqualTo(FsError.ENOTEMPTY);
        assertThat(p.error(new MetaCommand.Rmdir(ROOT_INO, "file", p.tick()))).isEqualTo(FsError.ENOTDIR);
        assertThat(p.error(new MetaCommand.Rmdir(ROOT_INO, "missing", p.tick()))).isEqualTo(FsError.ENOENT);

        p.ok(new MetaCommand.Unlink(d.ino(), "f", p.tick()));
        long usedBefore = stats().inodesUsed();
        p.ok(new MetaCommand.Rmdir(ROOT_INO, "d", p.tick()));
        assertThat(p.query(new MetaQuery.GetAttr(d.ino())).error()).isEqualTo(FsError.ENOENT);
        assertThat(p.attr(ROOT_INO).nlink()).isEqualTo(2);
        assertThat(stats().inodesUsed()).isEqualTo(usedBefore - 1);
        assertThat(p.error(new MetaCommand.MakeNode(d.ino(), "late", FILE, 0, 0, 0, null, p.tick())))
                .isEqualTo(FsError.ENOENT);
    }

    private PartitionStats stats() {
        return ((MetaResult.Stats) p.okQuery(new MetaQuery.StatFs())).stats();
    }

    @Test
    void readdirPagesInNameOrderWithAttributes() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = String.format("n%02d", 24 - i);
            p.create(ROOT_INO, name);
            names.add(name);
        }
        p.mkdir(ROOT_INO, "n05x");
        names.add("n05x");
        names.sort(String::compareTo);
        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (true) {
            MetaResult.Listing page = (MetaResult.Listing) p.okQuery(new MetaQuery.ReadDir(ROOT_INO, after, 7));
            pages++;
            for (MetaResult.Entry e : page.entries()) {
                seen.add(e.name());
                assertThat(e.attr()).isNotNull();
                assertThat(e.attr().ino()).isEqualTo(e.ino());
                assertThat(e.type()).isEqualTo(e.name().equals("n05x") ? FileType.DIRECTORY : FileType.REGULAR);
            }
            if (!page.more()) {
                break;
            }
            after = page.entries().get(page.entries().size() - 1).name();
        }
        assertThat(seen).containsExactlyElementsOf(names);
        assertThat(pages).isEqualTo(4);
        MetaResult.Listing empty = (MetaResult.Listing) p.okQuery(new MetaQuery.ReadDir(ROOT_INO, "zzz", 7));
        assertThat(empty.entries()).isEmpty();
        assertThat(empty.more()).isFalse();
        assertThat(p.query(new MetaQuery.ReadDir(2, "", 7)).error()).isEqualTo(FsError.ENOTDIR);
    }

    @Test
    void crossPartitionCreateHalves(@TempDir Path other) {
        try (PartitionFixture second = new PartitionFixture(other, 7, 1, 100, 200)) {
            Inode remote = ((MetaResult.Attr) second.ok(new MetaCommand.MakeInode(ROOT_INO, DIR, 0, 0, 0, null,
                    second.tick()))).inode();
            assertThat(remote.ino()).isEqualTo(100);
            p.ok(new MetaCommand.AddDentry(ROOT_INO, "far", remote.ino(), FileType.DIRECTORY, p.tick()));
            MetaResult.Found found = (MetaResult.Found) p.okQuery(new MetaQuery.Lookup(ROOT_INO, "far"));
            assertThat(found.entry().ino()).isEqualTo(100);
            assertThat(found.entry().attr()).as("attributes live in the other partition").isNull();
            assertThat(p.attr(ROOT_INO).nlink()).isEqualTo(3);
            assertThat(p.error(new MetaCommand.Rmdir(ROOT_INO, "far", p.tick()))).isEqualTo(FsError.EXDEV);

            Inode file = ((MetaResult.Attr) second.ok(new MetaCommand.MakeInode(ROOT_INO, FILE, 0, 0, 0, null,
                    second.tick()))).inode();
            p.ok(new MetaCommand.AddDentry(ROOT_INO, "ff", file.ino(), FileType.REGULAR, p.tick()));
            MetaResult.Unlinked gone = (MetaResult.Unlinked) p.ok(new MetaCommand.Unlink(ROOT_INO, "ff", p.tick()));
            assertThat(gone.ino()).isEqualTo(file.ino());
            Inode orphan = ((MetaResult.Attr) second.ok(new MetaCommand.AdjustLinks(file.ino(), -1, second.tick())))
                    .inode();
            assertThat(orphan.nlink()).isZero();
            assertThat(((MetaResult.Deleted) second.okQuery(new MetaQuery.ListDeleted(10))).orphans())
                    .containsExactly(file.ino());
            assertThat(second.error(new MetaCommand.AdjustLinks(file.ino(), -1, second.tick())))
                    .isEqualTo(FsError.EINVAL);
            assertThat(p.error(new MetaCommand.AddDentry(ROOT_INO, "local", 2, FileType.REGULAR, p.tick())))
                    .isEqualTo(FsError.EINVAL);
        }
    }

    @Test
    void crossPartitionRmdirRemovesTheDirectoryThenItsNameAndRefusesANonEmptyOne(@TempDir Path other) {
        try (PartitionFixture second = new PartitionFixture(other, 7, 1, 100, 200)) {
            Inode far = ((MetaResult.Attr) second.ok(new MetaCommand.MakeInode(ROOT_INO, DIR, 0, 0, 0, null,
                    second.tick()))).inode();
            p.ok(new MetaCommand.AddDentry(ROOT_INO, "far", far.ino(), FileType.DIRECTORY, p.tick()));
            second.ok(new MetaCommand.MakeNode(far.ino(), "inside", FILE, 0, 0, 0, null, second.tick()));
            assertThat(second.error(new MetaCommand.RemoveDirectory(far.ino(), second.tick())))
                    .isEqualTo(FsError.ENOTEMPTY);
            second.ok(new MetaCommand.Unlink(far.ino(), "inside", second.tick()));
            assertThat(p.error(new MetaCommand.RemoveDentry(ROOT_INO, "far", far.ino() + 1, p.tick())))
                    .as("a name of another inode is not dropped").isEqualTo(FsError.ENOENT);

            Inode removed = ((MetaResult.Attr) second.ok(new MetaCommand.RemoveDirectory(far.ino(), second.tick())))
                    .inode();
            assertThat(removed.nlink()).isZero();
            assertThat(second.error(new MetaCommand.MakeNode(far.ino(), "late", FILE, 0, 0, 0, null, second.tick())))
                    .as("a removed directory takes no new entries").isEqualTo(FsError.ENOENT);
            assertThat(second.error(new MetaCommand.RemoveDirectory(far.ino(), second.tick())))
                    .as("repeated after a crash").isEqualTo(FsError.OK);
            assertThat(((MetaResult.Deleted) second.okQuery(new MetaQuery.ListDeleted(10))).orphans())
                    .contains(far.ino());

            int rootLinks = p.attr(ROOT_INO).nlink();
            p.ok(new MetaCommand.RemoveDentry(ROOT_INO, "far", far.ino(), p.tick()));
            assertThat(p.query(new MetaQuery.Lookup(ROOT_INO, "far")).error()).isEqualTo(FsError.ENOENT);
            assertThat(p.attr(ROOT_INO).nlink()).isEqualTo(rootLinks - 1);
            assertThat(second.error(new MetaCommand.RemoveDirectory(ROOT_INO, second.tick())))
                    .isEqualTo(FsError.EINVAL);
        }
    }

    @Test
    void aRenameWithinThePartitionMovesANameWhoseInodeLivesElsewhere(@TempDir Path other) {
        try (PartitionFixture second = new PartitionFixture(other, 7, 1, 100, 200)) {
            Inode far = ((MetaResult.Attr) second.ok(new MetaCommand.MakeInode(ROOT_INO, FILE, 0, 0, 0, null,
                    second.tick()))).inode();
            p.ok(new MetaCommand.AddDentry(ROOT_INO, "far", far.ino(), FileType.REGULAR, p.tick()));
            Inode d = p.mkdir(ROOT_INO, "d");
            p.ok(new MetaCommand.Rename(ROOT_INO, "far", d.ino(), "moved", p.tick()));
            assertThat(p.lookup(d.ino(), "moved")).isEqualTo(far.ino());
            assertThat(p.query(new MetaQuery.Lookup(ROOT_INO, "far")).error()).isEqualTo(FsError.ENOENT);
        }
    }

    @Test
    void initIsIdempotentButARangeCannotChange() {
        assertThat(p.error(new MetaCommand.InitPartition(7, 0, 1, 100, 0755, 0, 0, p.tick()))).isEqualTo(FsError.OK);
        assertThat(p.error(new MetaCommand.InitPartition(7, 0, 1, 200, 0755, 0, 0, p.tick())))
                .isEqualTo(FsError.EEXIST);
        assertThat(p.attr(ROOT_INO).nlink()).isEqualTo(2);
    }

    @Test
    void anUninitializedPartitionRefusesEverything(@TempDir Path other) {
        try (io.camber.server.rocks.RocksStore bare = new io.camber.server.rocks.RocksStore(other,
                PartitionSchema.FAMILIES, 8 << 20)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PartitionCommands.query(
                    new MetaQuery.GetAttr(1), bare)).isInstanceOfSatisfying(io.camber.meta.fs.FsException.class,
                    e -> assertThat(e.error()).isEqualTo(FsError.EINVAL));
            assertThat(PartitionCommands.stats(bare)).isNull();
        }
    }
}
