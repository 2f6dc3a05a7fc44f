package io.camber.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.fs.CamberFs;
import io.camber.client.fuse.FuseMount;
import io.camber.client.fuse.FuseOptions;
import io.camber.client.fuse.MountTable;
import io.camber.client.mds.MdsAdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Camber file system mounted through the FUSE adapter, in this JVM, on a real cluster (MDS, three chunk services,
 * three meta-services in three zones), used by ordinary tools: the POSIX suite, tar, diff, cp -a, git, rsync and
 * fio with verification. Each test works in a directory of its own on the one mount.
 */
class FuseMountIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration TOOL = Duration.ofMinutes(5);
    private static MiniCluster cluster;
    private static ChunkClient chunks;
    private static CamberFs fs;
    private static FuseMount mount;
    private static Path base;
    private static Path mnt;
    private static Path local;

    @BeforeAll
    static void start() throws Exception {
        cluster = SharedCluster.get();
        MdsAdminClient mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
        mds.createFs("fuse", null, 2).join();
        FsFixtures.awaitLed(mds, "fuse", WAIT);
        chunks = new ChunkClient(64L << 20);
        fs = CamberFs.mount(mds, chunks, "fuse", CamberFs.Options.defaults("fuse-it")).join();
        // nobody must reach the mount for the permission checks: the temp dir's 0700 would stop it first
        base = Files.createTempDirectory("camber-fuse-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        local = Files.createDirectory(base.resolve("local"));
        mount = FuseMount.mount(fs, mnt, FuseOptions.defaults("fuse"), WAIT);
    }

    @AfterAll
    static void stop() {
        try {
            if (mount != null) {
                mount.close();
                assertThat(MountTable.at(mnt)).as("unmounted").isEmpty();
            }
        } finally {
            if (fs != null) {
                fs.close();
            }
            if (chunks != null) {
                chunks.close();
            }
            // the cluster is shared with other classes (SharedCluster): it stops when the test JVM exits
            if (base != null && MountTable.at(mnt).isEmpty()) { // never walk into a live mount
                TestDirectories.delete(base);
            }
        }
    }

    @Test
    void theMountIsListedAsCambersAndReportsCambersInodeNumbers() throws Exception {
        MountTable.Mount m = MountTable.at(mnt).orElseThrow();
        assertThat(m.type()).isEqualTo("fuse.camber");
        assertThat(m.source()).isEqualTo("camber:fuse");
        Path dir = Files.createDirectories(mnt.resolve("ino/sub"));
        Files.writeString(dir.resolve("f"), "x");
        assertThat(Files.getAttribute(dir.resolve("f"), "unix:ino"))
                .isEqualTo(fs.resolve("/ino/sub/f").join().ino());
        assertThat(Files.getAttribute(dir, "unix:ino")).isEqualTo(fs.resolve("/ino/sub").join().ino());
    }

    @Test
    void posixSuitePasses() throws Exception {
        Path dir = Files.createDirectory(mnt.resolve("posix"));
        PosixSuite.Result r = PosixSuite.run(dir);
        assertThat(r.failures()).as(r.output()).isEmpty();
        assertThat(r.passed()).as(r.output()).isTrue();
    }

    @Test
    void aRealTreeUntarredOntoTheMountMatchesALocalCopyAndCopiesBackWithCpA() {
        // /usr/share/doc's first 1,000 directories, symlinks and files under 5 KiB (find lists a directory before
        // its entries): modes and owners as a distribution made them; its big changelogs and the rest only cost CI
        // time (each file costs ~6 metadata round trips; 2,000 entries took 133 s of a 40-minute CI)
        Shell.bash(base, TOOL, "(cd /usr/share && find doc -type d -o -type l -o -type f -size -5k) > doc.all"
                + " && head -n 1000 doc.all > doc.list"
                + " && tar cf doc.tar -C /usr/share --no-recursion -T doc.list && mkdir mnt/untar local/untar"
                + " && tar xf doc.tar -C mnt/untar && tar xf doc.tar -C local/untar");
        assertThat(Integer.parseInt(Shell.bash(base, TOOL, "find mnt/untar | wc -l").strip()))
                .as("entries untarred").isGreaterThan(500);
        Shell.bash(base, TOOL, "diff -r --no-dereference local/untar mnt/untar");
        assertThat(tree(mnt.resolve("untar"))).isEqualTo(tree(local.resolve("untar")));

        Shell.bash(base, TOOL, "cp -a mnt/untar local/back");
        Shell.bash(base, TOOL, "diff -r --no-dereference local/untar local/back");
        assertThat(tree(local.resolve("back"))).isEqualTo(tree(local.resolve("untar")));
    }

    @Test
    void gitCommitsAndFsckIsCleanOnTheMount() {
        String out = Shell.bash(mnt, TOOL, "mkdir repo && cd repo && git init -q"
                + " && cp -a " + Path.of(System.getProperty("user.dir"), "src") + " src"
                + " && git add -A && git -c user.name=it -c user.email=it@camber commit -qm one"
                + " && echo change >> src/main/java/io/camber/testkit/Shell.java"
                + " && git -c user.name=it -c user.email=it@camber commit -qam two"
                + " && git gc -q && git fsck --full --strict && git status --porcelain && git log --oneline | wc -l");
        assertThat(out.strip()).as("fsck clean, nothing uncommitted, two commits").isEqualTo("2");
    }

    @Test
    void rsyncInAndOutKeepsEverythingAndASecondRunHasNothingToSend() {
        Path src = Path.of(System.getProperty("user.dir")).getParent().resolve("client/src");
        Shell.bash(base, TOOL, "rsync -a " + src + "/ mnt/rsync/ && rsync -a mnt/rsync/ local/rsync/"
                + " && diff -r " + src + " local/rsync");
        String again = Shell.bash(base, TOOL, "rsync -a --itemize-changes " + src + "/ mnt/rsync/");
        assertThat(again).as("times and modes kept, so nothing to send").isEmpty();
        assertThat(tree(local.resolve("rsync"))).isEqualTo(tree(src));
    }

    /**
     * Sizes fit the CI budget: random 4 KiB writes are the slow case (each one reaches the partitions, ~20 ms on CI):
     * 1,024 of them over a 4 MiB file, and a 16 MiB file in 1 MiB writes (twice these took ~30 s more).
     */
    @Test
    void fioVerifiesRandom4kAndSequential1MWrites() {
        String random = Shell.bash(mnt, TOOL, "fio --name=rand --filename=fio-rand.dat --rw=randwrite --bs=4k"
                + " --size=4m --ioengine=psync --verify=crc32c --do_verify=1 --verify_fatal=1 --end_fsync=1");
        assertThat(random).contains("err= 0").doesNotContain("verify:");
        String sequential = Shell.bash(mnt, TOOL, "fio --name=seq --filename=fio-seq.dat --rw=write --bs=1M"
                + " --size=16m --ioengine=psync --verify=crc32c --do_verify=1 --verify_fatal=1 --end_fsync=1");
        assertThat(sequential).contains("err= 0").doesNotContain("verify:");
    }

    @Test
    void dbenchAndStressNgFileStressorsRunCleanly() {
        // two clients' file-server mix (creates, writes, renames, locks, deletes) for 4 s; 8 s only cost CI time
        String dbench = Shell.bash(mnt, TOOL, "mkdir dbench && dbench -D dbench -t 4 2 2>&1 | tail -5");
        assertThat(dbench).contains("Throughput").doesNotContainIgnoringCase("failed");
        // each stressor stops at its op count or after 5 s, whichever comes first (link and xattr always reach the
        // time limit, even on a local disk, so a longer one only costs CI time); --verify checks what they read
        String stress = Shell.bash(mnt, TOOL, "mkdir stress && stress-ng --temp-path stress --timeout 5s --verify"
                + " --dir 1 --dir-ops 500 --link 1 --link-ops 500 --rename 1 --rename-ops 500 --dentry 1"
                + " --dentry-ops 50 --xattr 1 --xattr-ops 500 --metrics-brief 2>&1");
        assertThat(stress).contains("successful run completed");
    }

    /**
     * A meta-service stops in the middle of an untar onto the mount (the one leading the most partitions, so leaders
     * move): the other two replicas of every partition carry on, the untar completes without an error, and the tree
     * matches the local copy. The stopped one comes back and catches up.
     */
    @Test
    void anUntarCompletesAndMatchesWhileAMetaServiceIsDown() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        Shell.bash(base, TOOL, "tar cf meta-fault.tar -C " + repo + " client/src meta-client/src mds-service/src"
                + " && mkdir mnt/meta-fault local/meta-fault && tar xf meta-fault.tar -C local/meta-fault");
        Process untar = new ProcessBuilder("bash", "-c", "tar xf meta-fault.tar -C mnt/meta-fault && sync -f mnt")
                .directory(base.toFile()).redirectErrorStream(true).start();
        // stop it once the untar is under way (some entries landed), not after a fixed pause
        Await.until(() -> entries(mnt.resolve("meta-fault")) >= 20 || !untar.isAlive(), WAIT, "untar under way");
        assertThat(untar.isAlive()).as("untar still running when the meta-service stops").isTrue();
        MiniCluster.MetaNode victim = busiestMetaServer();
        cluster.stop(victim);
        try {
            assertThat(untar.waitFor(TOOL.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String out = new String(untar.getInputStream().readAllBytes());
            assertThat(untar.exitValue()).as("untar with %s down: %s", victim.peerId(), out).isZero();
            Shell.bash(base, TOOL, "diff -r --no-dereference local/meta-fault mnt/meta-fault");
            assertThat(tree(mnt.resolve("meta-fault"))).isEqualTo(tree(local.resolve("meta-fault")));
        } finally {
            cluster.restart(victim);
            cluster.awaitMetaServersRegistered(WAIT);
        }
    }

    /** Entries below dir so far (0 while it does not exist yet). */
    private static long entries(Path dir) {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            return all.count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0; // not there yet, or an entry went while walking: ask again on the next poll
        }
    }

    /** The running meta-service that leads the most partitions. */
    private static MiniCluster.MetaNode busiestMetaServer() {
        MiniCluster.MetaNode best = null;
        long most = -1;
        for (MiniCluster.MetaNode n : cluster.metaServers()) {
            if (!n.running()) {
                continue;
            }
            long led = n.partitions().partitions().stream()
                    .filter(id -> n.partitions().division(id).map(d -> d.getInfo().isLeader()).orElse(false)).count();
            if (led > most) {
                most = led;
                best = n;
            }
        }
        return best;
    }

    /** Every entry below dir with its type, permission bits, owner and symlink target (diff -r checks contents). */
    private static String tree(Path dir) {
        return Shell.bash(dir, TOOL, "find . -printf '%P %y %m %U:%G %l\\n' | sort");
    }
}
