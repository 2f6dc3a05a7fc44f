package io.camber.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.fs.CamberFs;
import io.camber.client.fs.CamberFs.Caller;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.FsInfo;
import io.camber.common.api.PartitionInfo;
import io.camber.meta.client.CrossPartitionRename;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult.Entry;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.protocol.SetAttrMask;
import io.camber.meta.protocol.XattrFlags;
import io.camber.server.raft.RaftSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The file-system client library ({@link CamberFs}) on a real MDS, three chunk services and three meta-services.
 * Partitions get 128 inode ids, so the first fills while the class sets up: "/near" is a directory of the first
 * partition, which then has no ids left (everything created in it is a cross-partition create: the inode from a
 * newer partition, the name here), and "/far" is a directory of a newer partition (what it holds is local to it).
 * Every operation is checked on both, through the returned attributes and through what a second mount sees.
 */
@org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS) // a hang fails, not stalls
class FsClientIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(3);
    private static final Duration KEEP_ALIVE = Duration.ofMillis(500);
    private static final long RANGE = 128;
    private static final Caller ME = new Caller(1000, 1000);
    private static MiniCluster cluster;
    private static MdsAdminClient mds;
    private static ChunkClient chunks;
    private static CamberFs fs;
    private static CamberFs other;
    private static long near;
    private static long far;

    @BeforeAll
    static void start() throws Exception {
        // GC every 300 ms with a 3 s grace: an unlinked file held open must outlive many passes (the mounts keep
        // their open orphans alive every 500 ms, well within the grace, as the defaults 15 s and 60 s relate).
        cluster = MiniCluster.builder().mds(1).chunkServers(3).metaServers(3).copysets(6)
                .mdsProperty("camber.mds.fs.inodes-per-partition", RANGE)
                .metaProperty("camber.meta.gc.interval", "300ms").metaProperty("camber.meta.gc.orphan-grace",
                        ORPHAN_GRACE.toMillis() + "ms").start();
        cluster.awaitMetaServersRegistered(WAIT);
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
        chunks = new ChunkClient(64L << 20);
        mds.createFs("files", null, 1).join();
        awaitLed("files");
        fs = CamberFs.mount(mds, chunks, "files", CamberFs.Options.defaults("it-a")
                .withOrphanKeepAlive(KEEP_ALIVE)).join();
        other = CamberFs.mount(mds, chunks, "files", CamberFs.Options.defaults("it-b")
                .withOrphanKeepAlive(KEEP_ALIVE)).join();

        near = ok(fs.mkdir(CamberFs.ROOT, "near", 0755, ME)).ino();
        long filler = ok(fs.mkdir(CamberFs.ROOT, "filler", 0755, ME)).ino();
        for (int i = 0; ok(fs.mknod(filler, "f" + i, FileType.REGULAR.mode(0644), 0, ME)).ino() < RANGE; i++) {
            assertThat(i).as("the first partition fills within its range").isLessThan((int) RANGE);
        }
        far = ok(fs.mkdir(CamberFs.ROOT, "far", 0755, ME)).ino();
    }

    @AfterAll
    static void stop() {
        if (fs != null) {
            fs.close();
            other.close();
        }
        if (chunks != null) {
            chunks.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFullPartitionMadeTheMdsAddOneAndCreatesWentOnThere() {
        FsInfo described = mds.describeFs("files").join();
        assertThat(described.partitions()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(near).isLessThan(RANGE + 1);
        assertThat(far).as("created after the first partition filled").isGreaterThan(RANGE);
        Inode farSeen = ok(fs.lookup(CamberFs.ROOT, "far"));
        assertThat(farSeen.ino()).isEqualTo(far);
        assertThat(farSeen.isDirectory()).isTrue();
        assertThat(ok(fs.getattr(CamberFs.ROOT)).nlink()).as("root: . .. near filler far").isEqualTo(5);

        io.micrometer.core.instrument.Timer refused = io.micrometer.core.instrument.Metrics.globalRegistry
                .find("camber.fs.client.calls").tag("op", "MakeNode").tag("outcome", "ENOSPC").timer();
        assertThat(refused).as("the client's metrics count the create the full partition refused").isNotNull();
        assertThat(refused.count()).isGreaterThanOrEqualTo(1);

        CamberFs.FsUsage usage = ok(fs.statfs());
        assertThat(usage.inodes() - usage.freeInodes()).as("root, 3 dirs and the fillers")
                .isGreaterThanOrEqualTo(RANGE + 1);
        assertThat(usage.totalBytes()).as("capacity of the data pool").isPositive();
    }

    @Test
    void createsOfEveryTypeWorkInBothKindsOfDirectoryAndAnotherMountSeesThem() {
        for (long dir : new long[] {near, far}) {
            long base = ok(fs.mkdir(dir, "types", 0750, ME)).ino();
            Inode file = ok(fs.mknod(base, "file", FileType.REGULAR.mode(0640), 0, ME));
            Inode fifo = ok(fs.mknod(base, "fifo", FileType.FIFO.mode(0600), 0, ME));
            Inode sub = ok(fs.mkdir(base, "sub", 0700, ME));
            Inode link = ok(fs.symlink(base, "link", "../file", ME));
            assertThat(file.type()).isEqualTo(FileType.REGULAR);
            assertThat(file.uid()).isEqualTo(1000);
            assertThat(file.mode() & 07777).isEqualTo(0640);
            assertThat(fifo.type()).isEqualTo(FileType.FIFO);
            assertThat(sub.nlink()).isEqualTo(2);
            assertThat(ok(other.readlink(link.ino()))).isEqualTo("../file");
            assertThat(ok(other.getattr(base)).nlink()).as("its subdirectory's ..").isEqualTo(3);

            List<Entry> listed = ok(other.readdir(base, null, 100));
            assertThat(listed).extracting(Entry::name).containsExactly("fifo", "file", "link", "sub");
            assertThat(listed).allSatisfy(e -> assertThat(e.attr()).as(e.name()).isNotNull());
            assertThat(listed.get(1).attr().ino()).isEqualTo(file.ino());
            assertThat(ok(other.readdir(base, "file", 1))).extracting(Entry::name).containsExactly("link");
            assertThat(ok(other.lookup(base, "sub")).ino()).isEqualTo(sub.ino());
            assertThat(errno(fs.mknod(base, "file", FileType.REGULAR.mode(0644), 0, ME))).isEqualTo(FsError.EEXIST);
            assertThat(errno(fs.mkdir(base, "sub", 0755, ME))).isEqualTo(FsError.EEXIST);
            assertThat(errno(fs.mknod(file.ino(), "x", FileType.REGULAR.mode(0644), 0, ME)))
                    .isEqualTo(FsError.ENOTDIR);
            assertThat(errno(fs.mknod(base, "d", FileType.DIRECTORY.mode(0755), 0, ME))).isEqualTo(FsError.EINVAL);
        }
        assertThat(ok(fs.lookup(near, "types")).ino()).as("a name here, an inode in a newer partition")
                .isGreaterThan(RANGE);
    }

    @Test
    void twoMountsCreatingTheSameNamesAtOnceGetOneWinnerEachAndTheLosersInodesAreLetGo() {
        List<CompletableFuture<Inode>> mine = new ArrayList<>();
        List<CompletableFuture<Inode>> theirs = new ArrayList<>();
        // In the full partition's directory: every create is two halves, and the two mounts' replies from one
        // partition lead to sends to the other (a Ratis reply thread must not send: PartitionClient hands replies over).
        for (int i = 0; i < 24; i++) {
            mine.add(fs.mknod(near, "race" + i, FileType.REGULAR.mode(0644), 0, ME));
            theirs.add(other.mknod(near, "race" + i, FileType.REGULAR.mode(0644), 0, ME));
        }
        for (int i = 0; i < 24; i++) {
            FsError a = errno(mine.get(i));
            FsError b = errno(theirs.get(i));
            assertThat(List.of(a, b)).as("race%d", i).containsExactlyInAnyOrder(FsError.OK, FsError.EEXIST);
            Inode winner = (a == FsError.OK ? mine : theirs).get(i).join();
            assertThat(ok(fs.lookup(near, "race" + i)).ino()).isEqualTo(winner.ino());
            assertThat(winner.ino()).isGreaterThan(RANGE);
        }
    }

    @Test
    void hardLinksCountAcrossPartitionsAndLastUnlinkLeavesNothing() {
        long local = ok(fs.mkdir(far, "links", 0755, ME)).ino();
        Inode file = ok(fs.mknod(local, "f", FileType.REGULAR.mode(0644), 0, ME));
        assertThat(ok(fs.link(file.ino(), local, "same-partition")).nlink()).isEqualTo(2);
        assertThat(ok(fs.link(file.ino(), near, "linked-from-near")).nlink()).as("AdjustLinks + AddDentry")
                .isEqualTo(3);
        assertThat(ok(other.lookup(near, "linked-from-near")).ino()).isEqualTo(file.ino());
        assertThat(errno(fs.link(file.ino(), near, "linked-from-near"))).isEqualTo(FsError.EEXIST);
        assertThat(ok(fs.getattr(file.ino())).nlink()).as("a refused link is undone").isEqualTo(3);
        assertThat(errno(fs.link(local, near, "dirlink"))).isEqualTo(FsError.EPERM);

        ok(fs.unlink(near, "linked-from-near"));
        assertThat(ok(fs.getattr(file.ino())).nlink()).as("the count owed to the other partition").isEqualTo(2);
        ok(fs.unlink(local, "same-partition"));
        ok(fs.unlink(local, "f"));
        assertThat(ok(fs.getattr(file.ino())).nlink()).isZero();
        assertThat(errno(fs.lookup(local, "f"))).isEqualTo(FsError.ENOENT);
        assertThat(errno(fs.link(file.ino(), local, "revived"))).isEqualTo(FsError.ENOENT);
    }

    @Test
    void unlinkAndRmdirAnswerPosixErrorsAndRemoveAcrossPartitions() {
        for (long dir : new long[] {near, far}) {
            long base = ok(fs.mkdir(dir, "rm", 0755, ME)).ino();
            ok(fs.mknod(base, "file", FileType.REGULAR.mode(0644), 0, ME));
            long full = ok(fs.mkdir(base, "full", 0755, ME)).ino();
            ok(fs.mknod(full, "x", FileType.REGULAR.mode(0644), 0, ME));
            ok(fs.mkdir(base, "empty", 0755, ME));

            assertThat(errno(fs.unlink(base, "missing"))).isEqualTo(FsError.ENOENT);
            assertThat(errno(fs.rmdir(base, "missing"))).isEqualTo(FsError.ENOENT);
            assertThat(errno(fs.unlink(base, "empty"))).isEqualTo(FsError.EISDIR);
            assertThat(errno(fs.rmdir(base, "file"))).isEqualTo(FsError.ENOTDIR);
            assertThat(errno(fs.rmdir(base, "full"))).isEqualTo(FsError.ENOTEMPTY);
            assertThat(errno(fs.rmdir(dir, "rm"))).isEqualTo(FsError.ENOTEMPTY);

            ok(fs.rmdir(base, "empty"));
            ok(fs.unlink(full, "x"));
            ok(fs.rmdir(base, "full"));
            ok(fs.unlink(base, "file"));
            assertThat(ok(other.readdir(base, null, 10))).isEmpty();
            assertThat(ok(fs.getattr(base)).nlink()).isEqualTo(2);
            ok(fs.rmdir(dir, "rm"));
            assertThat(errno(other.lookup(dir, "rm"))).isEqualTo(FsError.ENOENT);
            assertThat(errno(fs.mknod(base, "late", FileType.REGULAR.mode(0644), 0, ME)))
                    .as("a removed directory takes no entries").isEqualTo(FsError.ENOENT);
        }
    }

    @Test
    void renamesWithinAndAcrossPartitionsFollowPosix() {
        long a = ok(fs.mkdir(far, "ra", 0755, ME)).ino(); // both in a newer partition, with their entries
        long b = ok(fs.mkdir(far, "rb", 0755, ME)).ino();
        Inode f = ok(fs.mknod(a, "f", FileType.REGULAR.mode(0644), 0, ME));

        ok(fs.rename(a, "f", a, "g"));
        assertThat(ok(other.lookup(a, "g")).ino()).isEqualTo(f.ino());
        assertThat(errno(other.lookup(a, "f"))).isEqualTo(FsError.ENOENT);
        ok(fs.rename(a, "g", near, "moved")); // a newer partition to the first: two-phase
        assertThat(ok(other.lookup(near, "moved")).ino()).isEqualTo(f.ino());
        assertThat(errno(other.lookup(a, "g"))).isEqualTo(FsError.ENOENT);
        long ctime = ok(fs.getattr(f.ino())).ctime();
        ok(fs.rename(near, "moved", near, "moved2")); // both names in the first partition, the inode elsewhere
        assertThat(ok(other.lookup(near, "moved2")).ino()).isEqualTo(f.ino());
        assertThat(ok(other.getattr(f.ino())).ctime()).as("touched in its own partition").isGreaterThan(ctime);
        assertThat(errno(other.lookup(near, "moved"))).isEqualTo(FsError.ENOENT);

        Inode victim = ok(fs.mknod(near, "victim", FileType.REGULAR.mode(0644), 0, ME));
        ok(fs.link(victim.ino(), b, "victim-link"));
        Inode f2 = ok(fs.mknod(a, "f2", FileType.REGULAR.mode(0644), 0, ME));
        ok(fs.rename(a, "f2", near, "victim")); // replaces a name whose inode lives in a third partition
        assertThat(ok(other.lookup(near, "victim")).ino()).isEqualTo(f2.ino());
        assertThat(ok(fs.getattr(victim.ino())).nlink()).as("the link owed by the replaced name").isEqualTo(1);
        ok(fs.link(f2.ino(), a, "alias"));
        ok(fs.rename(a, "alias", near, "victim")); // two names of one inode: nothing happens
        assertThat(ok(other.lookup(a, "alias")).ino()).isEqualTo(f2.ino());

        long d1 = ok(fs.mkdir(a, "d1", 0755, ME)).ino();
        long d2 = ok(fs.mkdir(b, "d2", 0755, ME)).ino();
        ok(fs.mknod(d2, "child", FileType.REGULAR.mode(0644), 0, ME));
        long nd = ok(fs.mkdir(near, "nd", 0755, ME)).ino();
        assertThat(errno(fs.rename(a, "d1", b, "d2"))).isEqualTo(FsError.ENOTEMPTY);
        assertThat(errno(fs.rename(a, "alias", b, "d2"))).isEqualTo(FsError.EISDIR);
        assertThat(errno(fs.rename(a, "d1", b, "victim-link"))).isEqualTo(FsError.ENOTDIR);
        assertThat(errno(fs.rename(a, "alias", near, "nd"))).as("across partitions").isEqualTo(FsError.EISDIR);
        assertThat(errno(fs.rename(a, "d1", near, "victim"))).as("across partitions").isEqualTo(FsError.ENOTDIR);
        assertThat(errno(fs.rename(a, "d1", near, "nd"))).as("replacing a directory of a third partition")
                .isEqualTo(FsError.EXDEV);
        assertThat(errno(fs.rename(a, "nothing", b, "x"))).isEqualTo(FsError.ENOENT);
        assertThat(errno(fs.rename(a, "d1", b, "bad/name"))).isEqualTo(FsError.EINVAL);
        assertThat(errno(fs.rename(a, "d1", d1, "inside"))).isEqualTo(FsError.EINVAL);
        long deep = ok(fs.mkdir(d1, "deep", 0755, ME)).ino();
        assertThat(errno(fs.rename(a, "d1", deep, "loop"))).isEqualTo(FsError.EINVAL);
        assertThat(errno(fs.rename(CamberFs.ROOT, "near", nd, "loop"))).as("into its subtree, across partitions")
                .isEqualTo(FsError.EINVAL);

        ok(fs.unlink(d2, "child"));
        ok(fs.rename(a, "d1", b, "d2")); // a directory over an empty one
        assertThat(ok(other.lookup(b, "d2")).ino()).isEqualTo(d1);
        assertThat(ok(other.lookup(d1, "deep")).ino()).isEqualTo(deep);
        assertThat(ok(fs.getattr(a)).nlink()).as("a lost its subdirectory").isEqualTo(2);
        int nearLinks = ok(fs.getattr(near)).nlink();
        ok(fs.rename(b, "d2", near, "moved-dir")); // a directory across partitions
        assertThat(ok(other.resolve("/near/moved-dir/deep")).ino()).isEqualTo(deep);
        assertThat(ok(fs.getattr(near)).nlink()).isEqualTo(nearLinks + 1);
        assertThat(ok(fs.getattr(b)).nlink()).isEqualTo(2);
    }

    @Test
    void aRenameLeftPreparedByADeadClientIsResolvedByTheNextLookup() throws Exception {
        long from = ok(fs.mkdir(far, "crash-src", 0755, ME)).ino();
        Inode f = ok(fs.mknod(from, "f", FileType.REGULAR.mode(0644), 0, ME));
        FsInfo described = mds.describeFs("files").join();
        Map<Integer, PartitionClient> clients = new HashMap<>();
        try {
            for (PartitionInfo p : described.partitions()) {
                clients.put(p.partitionId(), client(p));
            }
            int src = partitionOf(described, from);
            int dst = partitionOf(described, near);
            CrossPartitionRename crashed = new CrossPartitionRename(clients::get,
                    () -> System.currentTimeMillis() * 1_000_000L, Duration.ofMinutes(5).toNanos());
            MetaReply prepared = crashed.prepare("dead-client-tx", src, from, "f", dst, near, "crash-dst").join();
            assertThat(prepared.error()).as(prepared.message()).isEqualTo(FsError.OK);
            // ...and the client dies here: the source is locked, the target name answers EAGAIN until resolved.

            CamberFs.Options quick = new CamberFs.Options("it-resolver", RaftSettings.defaults(), Duration.ofSeconds(1),
                    Duration.ofSeconds(20), 1 << 20, 16 << 20);
            try (CamberFs resolver = CamberFs.mount(mds, chunks, "files", quick).join()) {
                long started = System.nanoTime();
                assertThat(errno(resolver.lookup(near, "crash-dst"))).as("aborted by the resolver: never renamed")
                        .isEqualTo(FsError.ENOENT);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
                assertThat(ok(resolver.lookup(from, "f")).ino()).isEqualTo(f.ino());
                ok(resolver.rename(from, "f", near, "crash-dst"));
                assertThat(ok(fs.lookup(near, "crash-dst")).ino()).isEqualTo(f.ino());
            }
        } finally {
            for (PartitionClient c : clients.values()) {
                c.close();
            }
        }
    }

    @Test
    void attributesAndXattrsChangeAndRefuseWhatPosixRefuses() {
        Inode f = ok(fs.mknod(near, "attrs", FileType.REGULAR.mode(0644), 0, ME));
        Inode changed = ok(fs.setattr(f.ino(), new CamberFs.AttrChange(SetAttrMask.MODE | SetAttrMask.UID
                | SetAttrMask.MTIME, 0600, 42, 0, 0, 1_000_000_000L, 0)));
        assertThat(changed.mode()).isEqualTo(FileType.REGULAR.mode(0600));
        assertThat(changed.uid()).isEqualTo(42);
        assertThat(changed.gid()).isEqualTo(1000);
        assertThat(ok(other.getattr(f.ino())).mtime()).isEqualTo(1_000_000_000L);

        byte[] value = "blue".getBytes(StandardCharsets.UTF_8);
        ok(fs.setxattr(f.ino(), "user.color", value, 0));
        ok(fs.setxattr(f.ino(), "user.empty", new byte[0], XattrFlags.CREATE));
        assertThat(ok(other.getxattr(f.ino(), "user.color"))).isEqualTo(value);
        assertThat(ok(other.listxattr(f.ino()))).containsExactlyInAnyOrder("user.color", "user.empty");
        assertThat(errno(fs.setxattr(f.ino(), "user.color", value, XattrFlags.CREATE))).isEqualTo(FsError.EEXIST);
        assertThat(errno(fs.setxattr(f.ino(), "user.none", value, XattrFlags.REPLACE))).isEqualTo(FsError.ENODATA);
        assertThat(errno(fs.getxattr(f.ino(), "user.none"))).isEqualTo(FsError.ENODATA);
        assertThat(errno(fs.setxattr(f.ino(), "user.big", new byte[65537], 0))).isEqualTo(FsError.ENOSPC);
        ok(fs.removexattr(f.ino(), "user.color"));
        assertThat(errno(fs.removexattr(f.ino(), "user.color"))).isEqualTo(FsError.ENODATA);
        assertThat(ok(other.listxattr(f.ino()))).containsExactly("user.empty");
        assertThat(errno(fs.getattr(999_999_999L))).isEqualTo(FsError.ENOENT);
    }

    @Test
    void namesAndPathsAreCheckedAndResolved() {
        long dir = ok(fs.mkdir(far, "paths", 0755, ME)).ino();
        Inode file = ok(fs.mknod(dir, "file", FileType.REGULAR.mode(0644), 0, ME));
        assertThat(errno(fs.mknod(dir, "a/b", FileType.REGULAR.mode(0644), 0, ME))).isEqualTo(FsError.EINVAL);
        assertThat(errno(fs.mkdir(dir, "a\0b", 0755, ME))).isEqualTo(FsError.EINVAL);
        assertThat(errno(fs.mkdir(dir, "n".repeat(256), 0755, ME))).isEqualTo(FsError.ENAMETOOLONG);
        assertThat(errno(fs.lookup(dir, ".."))).isEqualTo(FsError.EINVAL);
        assertThat(errno(fs.symlink(dir, "s", "t".repeat(4097), ME))).isEqualTo(FsError.ENAMETOOLONG);
        assertThat(ok(fs.mkdir(dir, "n".repeat(255), 0755, ME)).isDirectory()).isTrue();

        assertThat(ok(fs.resolve("/")).ino()).isEqualTo(CamberFs.ROOT);
        assertThat(ok(fs.resolve("/far/paths/file")).ino()).isEqualTo(file.ino());
        assertThat(ok(fs.resolve("far//./paths/../paths/file/")).ino()).isEqualTo(file.ino());
        assertThat(ok(fs.resolve("/../far")).ino()).isEqualTo(far);
        assertThat(errno(fs.resolve("/far/paths/missing"))).isEqualTo(FsError.ENOENT);
        assertThat(errno(fs.resolve("/far/paths/file/x"))).isEqualTo(FsError.ENOTDIR);
        assertThat(errno(fs.resolve("/far/paths/file/.."))).isEqualTo(FsError.ENOTDIR);
        assertThat(errno(fs.resolve("/" + "d/".repeat(2100)))).isEqualTo(FsError.ENAMETOOLONG);
    }

    @Test
    void smallAndMultiMegabyteFilesWrittenByOneMountReadBackOnTheOther() {
        byte[] small = "hello, camber file system\n".getBytes(StandardCharsets.UTF_8);
        Inode tiny = ok(fs.mknod(near, "tiny.txt", FileType.REGULAR.mode(0644), 0, ME));
        try (CamberFs.FileHandle h = ok(fs.open(tiny.ino(), true))) {
            ok(h.write(0, ByteBuffer.wrap(small)));
        }
        assertThat(ok(other.getattr(tiny.ino())).size()).isEqualTo(small.length);
        try (CamberFs.FileHandle h = ok(other.open(tiny.ino(), false))) {
            assertThat(bytes(ok(h.read(0, 4096)))).isEqualTo(small);
        }

        byte[] big = new byte[6 << 20];
        new Random(5).nextBytes(big);
        Inode large = ok(fs.mknod(far, "large.bin", FileType.REGULAR.mode(0644), 0, ME));
        long started = System.nanoTime();
        try (CamberFs.FileHandle h = ok(fs.open(large.ino(), true))) {
            for (int at = 0; at < big.length; at += 128 << 10) { // as FUSE sends them
                ok(h.write(at, ByteBuffer.wrap(big, at, Math.min(128 << 10, big.length - at))));
            }
        }
        long wrote = System.nanoTime() - started;
        try (CamberFs.FileHandle h = ok(other.open(large.ino(), false))) {
            byte[] back = new byte[big.length];
            started = System.nanoTime();
            for (int at = 0; at < big.length; at += 1 << 20) {
                ByteBuffer piece = ok(h.read(at, 1 << 20));
                piece.get(back, at, piece.remaining());
            }
            System.out.printf("event=fs_client_throughput bytes=%d write_mib_s=%.1f read_mib_s=%.1f%n", big.length,
                    big.length / 1048576.0 / (wrote / 1e9), big.length / 1048576.0 / ((System.nanoTime() - started)
                            / 1e9));
            assertThat(back).isEqualTo(big);
            assertThat(bytes(ok(h.read(big.length - 10, 100)))).as("short at the end").hasSize(10);
        }
        assertThat(ok(fs.statfs()).usedBytes()).as("the blocks the files hold").isGreaterThanOrEqualTo(big.length);
    }

    @Test
    void aFileUnlinkedByOneMountWhileAnotherHasItOpenStaysWholeLongPastGcGraceUntilItsLastClose() throws Exception {
        byte[] data = new byte[1 << 20]; // in extents on the data volume, which GC would trim to zeros
        new Random(9).nextBytes(data);
        Inode held = ok(fs.mknod(near, "held-open", FileType.REGULAR.mode(0644), 0, ME));
        try (CamberFs.FileHandle h = ok(fs.open(held.ino(), true))) {
            ok(h.write(0, ByteBuffer.wrap(data)));
        }
        try (CamberFs.FileHandle reader = ok(other.open(held.ino(), false))) {
            ok(fs.unlink(near, "held-open"));
            assertThat(ok(other.getattr(held.ino())).nlink()).isZero();
            Thread.sleep(3 * ORPHAN_GRACE.toMillis()); // GC passes every 300 ms all along
            byte[] back = new byte[data.length];
            for (int at = 0; at < data.length; at += 256 << 10) {
                ByteBuffer piece = ok(reader.read(at, 256 << 10));
                piece.get(back, at, piece.remaining());
            }
            assertThat(back).as("read after three graces").isEqualTo(data);
        }
        // The last close: nothing keeps it now, and GC releases it after the grace.
        Await.until(() -> errno(fs.getattr(held.ino())) == FsError.ENOENT, WAIT, "GC released the closed orphan");
    }

    @Test
    void truncatesAndSparseFilesReadZerosWhereNothingWasWritten() {
        Inode f = ok(fs.mknod(far, "sparse", FileType.REGULAR.mode(0644), 0, ME));
        byte[] ones = new byte[10_000];
        Arrays.fill(ones, (byte) 1);
        try (CamberFs.FileHandle h = ok(fs.open(f.ino(), true))) {
            ok(h.write(0, ByteBuffer.wrap(ones)));
            ok(h.write(5L << 20, ByteBuffer.wrap(new byte[] {7, 7, 7})));
        }
        try (CamberFs.FileHandle h = ok(other.open(f.ino(), false))) {
            assertThat(ok(other.getattr(f.ino())).size()).isEqualTo((5L << 20) + 3);
            assertThat(bytes(ok(h.read(10_000, 1 << 20)))).as("a hole").containsOnly((byte) 0).hasSize(1 << 20);
            assertThat(bytes(ok(h.read(5L << 20, 10)))).containsExactly(7, 7, 7);
        }
        CamberFs.AttrChange down = new CamberFs.AttrChange(SetAttrMask.SIZE, 0, 0, 0, 0, 0, 5000);
        assertThat(ok(fs.setattr(f.ino(), down)).size()).isEqualTo(5000);
        CamberFs.AttrChange up = new CamberFs.AttrChange(SetAttrMask.SIZE, 0, 0, 0, 0, 0, 20_000);
        assertThat(ok(other.setattr(f.ino(), up)).size()).isEqualTo(20_000);
        try (CamberFs.FileHandle h = ok(fs.open(f.ino(), true))) {
            byte[] all = bytes(ok(h.read(0, 30_000)));
            assertThat(all).hasSize(20_000);
            assertThat(Arrays.copyOfRange(all, 0, 5000)).containsOnly((byte) 1);
            assertThat(Arrays.copyOfRange(all, 5000, 20_000)).as("cut, then grown: zeros").containsOnly((byte) 0);
            ok(h.write(19_999, ByteBuffer.wrap(new byte[] {3, 3})));
            ok(h.flush());
            assertThat(ok(other.getattr(f.ino())).size()).as("visible after flush").isEqualTo(20_001);
        }
        assertThat(errno(fs.open(far, false))).isEqualTo(FsError.EISDIR);
    }

    @Test
    void anOpenHandleOfOneMountSeesWhatTheOtherAppendedAndClosed() {
        Inode f = ok(fs.mknod(near, "shared.log", FileType.REGULAR.mode(0644), 0, ME));
        try (CamberFs.FileHandle a = ok(fs.open(f.ino(), true))) {
            ok(a.write(0, ByteBuffer.wrap("first\n".getBytes(StandardCharsets.UTF_8))));
            ok(a.flush());
            try (CamberFs.FileHandle b = ok(other.open(f.ino(), true))) {
                assertThat(new String(bytes(ok(b.read(0, 100))), StandardCharsets.UTF_8)).isEqualTo("first\n");
                ok(b.write(6, ByteBuffer.wrap("second\n".getBytes(StandardCharsets.UTF_8))));
            }
            assertThat(new String(bytes(ok(a.read(0, 100))), StandardCharsets.UTF_8))
                    .as("a read past what the handle knew fetches the map again").isEqualTo("first\nsecond\n");
        }
    }

    @Test
    void anUnknownFileSystemIsRefusedWithENOENTAndABadNameWithEINVAL() {
        assertThat(errno(CamberFs.mount(mds, chunks, "nope", CamberFs.Options.defaults("it"))))
                .isEqualTo(FsError.ENOENT);
        assertThat(errno(CamberFs.mount(mds, chunks, "bad name", CamberFs.Options.defaults("it"))))
                .isEqualTo(FsError.EINVAL);
    }

    static int partitionOf(FsInfo fs, long ino) {
        return fs.partitions().stream().filter(p -> ino >= p.start() && ino < p.end()).findFirst().orElseThrow()
                .partitionId();
    }

    static PartitionClient client(PartitionInfo p) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < p.peerIds().size(); i++) {
            peers.add(RaftPeer.newBuilder().setId(p.peerIds().get(i)).setAddress(p.addresses().get(i)).build());
        }
        return new PartitionClient(new PartitionId(p.fsId(), p.partitionId()), peers, RaftSettings.defaults());
    }

    static void awaitLed(String name) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            FsInfo fs = mds.describeFs(name).join();
            if (fs.partitions().stream().allMatch(p -> p.leader() != null && p.inodesUsed() >= 0)) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("file system " + name + " not led within " + WAIT);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static <T> T ok(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
        }
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static FsError errno(CompletableFuture<?> future) {
        try {
            future.join();
            return FsError.OK;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FsException f) {
                return f.error();
            }
            throw new AssertionError("expected an FsException, got " + cause, cause);
        }
    }
}
