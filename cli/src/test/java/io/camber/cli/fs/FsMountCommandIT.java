package io.camber.cli.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.CamberCli;
import io.camber.client.fuse.MountTable;
import io.camber.client.mds.MdsAdminClient;
import io.camber.testkit.FsFixtures;
import io.camber.testkit.MiniCluster;
import io.camber.testkit.Shell;
import io.camber.testkit.TestDirectories;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code camber fs mount} and {@code camber fs umount} as a user runs them, against a real cluster: refusals with
 * their messages and exit codes, a daemon mount that is up when the command returns, and clean unmounts by
 * {@code fs umount} and by SIGTERM.
 */
class FsMountCommandIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration TOOL = Duration.ofMinutes(3);
    private static MiniCluster cluster;
    private static Path base;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).chunkServers(3).metaServers(3).copysets(3).start();
        cluster.awaitMetaServersRegistered(WAIT);
        MdsAdminClient mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
        mds.createFs("cli", null, 1).join();
        FsFixtures.awaitLed(mds, "cli", WAIT);
        base = Files.createTempDirectory("camber-fs-mount-it-");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (base != null) {
            TestDirectories.delete(base);
        }
    }

    @AfterEach
    void unmountLeftovers() throws Exception {
        try (var dirs = Files.list(base)) {
            for (Path d : dirs.toList()) {
                if (MountTable.at(d).isPresent()) {
                    new ProcessBuilder("fusermount", "-uz", d.toString()).start().waitFor();
                }
            }
        }
    }

    @Test
    void refusesAMissingANonEmptyOrAMountedDirectoryAndAnUnknownFileSystem() throws Exception {
        Result missing = cli("fs", "mount", "cli", base.resolve("nope").toString());
        assertThat(missing.code).isEqualTo(4);
        assertThat(missing.err).contains("does not exist", "mkdir -p");

        Path full = Files.createDirectory(base.resolve("full"));
        Files.writeString(full.resolve("f"), "x");
        Result nonEmpty = cli("fs", "mount", "cli", full.toString());
        assertThat(nonEmpty.code).isEqualTo(4);
        assertThat(nonEmpty.err).contains("is not empty");

        Path dir = Files.createDirectory(base.resolve("unknown"));
        Result unknown = cli("fs", "mount", "nope", dir.toString(), "--daemon");
        assertThat(unknown.code).isEqualTo(1);
        assertThat(unknown.err).contains("no file system named 'nope'", "camber fs ls");
        assertThat(MountTable.at(dir)).isEmpty();

        Result notMounted = cli("fs", "umount", dir.toString());
        assertThat(notMounted.code).isEqualTo(4);
        assertThat(notMounted.err).contains("is not mounted");
        Result notOurs = cli("fs", "umount", "/proc");
        assertThat(notOurs.code).isEqualTo(4);
        assertThat(notOurs.err).contains("not Camber's");
    }

    @Test
    void aDaemonMountIsUpWhenTheCommandReturnsAndGoesCleanlyWithUmount() throws Exception {
        Path dir = base.resolve("daemon");
        Path log = base.resolve("daemon.log");
        Result up = mountDaemon("daemon", "--entry-timeout", "0.5", "--attr-timeout", "2");
        assertThat(up.out).contains("mounted file system cli on " + dir, "camber fs umount " + dir);
        ProcessHandle child = ProcessHandle.of(pid(up.out)).orElseThrow();
        assertThat(MountTable.at(dir).orElseThrow().source()).isEqualTo("camber:cli");
        Files.createDirectory(dir.resolve("made-through-the-mount"));
        assertThat(Files.isDirectory(dir.resolve("made-through-the-mount"))).isTrue();

        Result again = cli("fs", "mount", "cli", dir.toString());
        assertThat(again.code).isEqualTo(4);
        assertThat(again.err).contains("already a mount point", "camber fs umount");
        Result rm = cli("fs", "rm", "cli");
        assertThat(rm.code).as("fs rm of a mounted file system: %s", rm.out).isNotZero();
        assertThat(rm.err).contains("is mounted by 1 client", "--force");

        Result down = cli("fs", "umount", dir.toString());
        assertThat(down.code).as(down.err).isZero();
        assertThat(down.out).contains("unmounted camber:cli from " + dir);
        assertThat(MountTable.at(dir)).isEmpty();
        assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(Files.readString(log)).contains("event=fuse_mounted fs=cli", "entry_timeout=PT0.5S",
                "attr_timeout=PT2S", "event=fuse_unmounted fs=cli");
    }

    @Test
    void sigtermUnmountsCleanly() throws Exception {
        Path dir = base.resolve("sigterm");
        Path log = base.resolve("sigterm.log");
        Result up = mountDaemon("sigterm");
        ProcessHandle child = ProcessHandle.of(pid(up.out)).orElseThrow();
        assertThat(child.destroy()).as("SIGTERM sent").isTrue();
        assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(MountTable.at(dir)).as("unmounted by the process itself").isEmpty();
        assertThat(Files.readString(log)).contains("event=fuse_unmounted fs=cli");
        assertThat(Files.list(dir).toList()).as("the directory is the plain empty one again").isEmpty();
    }

    /**
     * kill -9 of the mount process: every file closed before it, and one fsync'd but still open, reads back whole
     * after {@code fs umount} of the dead mount and a new mount; a file written but never flushed leaves the file
     * system readable (its bytes are not promised).
     */
    @Test
    void killDashNineOfTheMountKeepsEveryClosedOrFsyncedFileAndARemountServesThem() throws Exception {
        Path dir = base.resolve("killed");
        Path log = base.resolve("killed.log");
        Result up = mountDaemon("killed");
        ProcessHandle mount = ProcessHandle.of(pid(up.out)).orElseThrow();
        Path local = Files.createDirectory(base.resolve("killed-local"));
        // files of several sizes (within a block, across blocks, past the mount's write buffer), closed by cp
        Shell.bash(local, TOOL, "mkdir -p tree/a/b && for i in $(seq 1 40); do head -c $((i * i * 997))"
                + " /dev/urandom > tree/a/f$i; done && head -c 9000000 /dev/urandom > tree/a/b/big"
                + " && head -c 3000000 /dev/urandom > fsynced && ln -s a/f1 tree/link && cp -a tree " + dir);
        // held open after its fsync, and one never flushed, until the kill
        Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import os, sys, time",
                "f = open(sys.argv[1] + '/fsynced', 'wb'); f.write(open(sys.argv[2], 'rb').read())",
                "f.flush(); os.fsync(f.fileno())",
                "g = open(sys.argv[1] + '/unflushed', 'wb'); g.write(os.urandom(100000))",
                "print('ready', flush=True); time.sleep(600)"), dir.toString(), local.resolve("fsynced").toString())
                .redirectErrorStream(true).start();
        try {
            String ready = new String(holder.getInputStream().readNBytes(6));
            assertThat(ready).as("the holder wrote and fsync'd").isEqualTo("ready\n");

            assertThat(mount.destroyForcibly()).isTrue();
            assertThat(mount.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }

        Result dead = cli("fs", "umount", dir.toString());
        assertThat(dead.code).as("umount of a mount whose process died: %s", dead.err).isZero();
        Result again = cli("fs", "mount", "cli", dir.toString(), "--daemon", "--log-file", log.toString());
        assertThat(again.code).as(again.err).isZero();
        try {
            Shell.bash(base, TOOL, "diff -r --no-dereference killed-local/tree killed/tree"
                    + " && cmp killed-local/fsynced killed/fsynced && cat killed/unflushed > /dev/null");
            assertThat(Files.readSymbolicLink(dir.resolve("tree/link")).toString()).isEqualTo("a/f1");
        } finally {
            Result down = cli("fs", "umount", dir.toString());
            assertThat(down.code).as(down.err).isZero();
        }
    }

    /** {@code fs mount cli --daemon} on a new directory base/name, logging to base/name.log; must succeed. */
    private static Result mountDaemon(String name, String... options) throws java.io.IOException {
        Path dir = Files.createDirectory(base.resolve(name));
        List<String> args = new java.util.ArrayList<>(List.of("fs", "mount", "cli", dir.toString(), "--daemon",
                "--log-file", base.resolve(name + ".log").toString()));
        args.addAll(List.of(options));
        Result up = cli(args.toArray(String[]::new));
        assertThat(up.code).as(up.err).isZero();
        return up;
    }

    private record Result(int code, String out, String err) {
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        if (args[1].equals("mount") || args[1].equals("rm")) {
            all.addAll(List.of("--endpoint", cluster.url(), "--api-key", MiniCluster.ADMIN_KEY));
        }
        int code = CamberCli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private static long pid(String out) {
        Matcher m = Pattern.compile("\\(pid (\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }
}
