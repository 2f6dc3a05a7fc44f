package io.camber.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.PlaygroundFixture.Result;
import io.camber.cli.playground.PlaygroundCredentials;
import io.camber.cli.playground.PlaygroundLayout;
import io.camber.cli.playground.PlaygroundState;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import io.camber.testkit.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives the real playground (the service exec jars on the default ports, in a temp dir) with the CLI in-process as
 * an operator would, down to a `playground down` and `up` of the whole of it. Runs after every module is packaged,
 * on the playground the fault ITs share (ChunkKillIT and NbdKillIT run before it, SelfHealingIT after it: failsafe
 * runs them alphabetically), so CI pays for one `playground up` less.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlaygroundIT {

    private static final String GATEWAY = PlaygroundFixture.GATEWAY;
    private static final Duration TOOL = Duration.ofMinutes(5);

    private static PlaygroundFixture playground;
    private static Path home;
    private static Path dir;
    private static List<ProcessRecord> processes = List.of();

    @BeforeAll
    static void up() throws IOException {
        playground = PlaygroundFixture.shared(FaultPlayground.JVM_OPTIONS);
        home = playground.home;
        dir = playground.dir;
        processes = PlaygroundState.read(dir).orElseThrow().processes();
        assertThat(processes).hasSize(11);
    }

    // No @AfterAll down: the whole-playground restart below checks `down`, and SelfHealingIT goes on with it.

    private static Result cli(String... args) {
        return PlaygroundFixture.cli(args);
    }

    @Test
    @Order(1)
    void createsListsAndRefusesVolumesThroughTheGateway() {
        Result mkdir = cli("volume", "mkdir", "/demo", GATEWAY);
        assertThat(mkdir.code()).as(mkdir.err()).isZero();

        Result create = cli("volume", "create", "/demo/vol1", "--size", "10GiB", GATEWAY);
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(create.out()).contains("/demo/vol1", "10GiB");

        Result ls = cli("volume", "ls", "/demo", GATEWAY);
        assertThat(ls.code()).as(ls.err()).isZero();
        assertThat(ls.out().lines()).anySatisfy(line -> assertThat(line).startsWith("vol1").contains("VOLUME", "10GiB"));

        Result again = cli("volume", "create", "/demo/vol1", "--size", "10GiB", GATEWAY);
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).startsWith("ALREADY_EXISTS: ").doesNotContain("Exception", "\tat ");

        Result negative = cli("volume", "create", "/demo/vol2", "--size", "-5", GATEWAY);
        assertThat(negative.code()).isNotZero();
        assertThat(negative.err()).startsWith("INVALID_ARGUMENT: ").doesNotContain("Exception", "\tat ");

        Result stat = cli("volume", "stat", "/demo/vol2", GATEWAY);
        assertThat(stat.code()).as("the refused create must not have left a volume").isNotZero();
        assertThat(stat.err()).startsWith("NOT_FOUND: ");
    }

    @Test
    @Order(1)
    void theDemoFileSystemIsPlacedOnTheThreeMetaServicesAndFsCommandsWorkThroughTheGateway() {
        Result info = cli("fs", "info", "demo", GATEWAY);
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("pool1", "[1, 1048577)", "meta1@127.0.0.1:8311", "meta2@127.0.0.1:8312",
                "meta3@127.0.0.1:8313");

        Result servers = cli("fs", "metaservers", GATEWAY);
        assertThat(servers.out()).contains("zone1", "zone2", "zone3", "ONLINE");

        Result bad = cli("fs", "create", "no/slash", GATEWAY);
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).startsWith("INVALID_ARGUMENT: ").doesNotContain("Exception", "\tat ");

        Result create = cli("fs", "create", "scratch", "--partitions", "1", GATEWAY);
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(cli("fs", "ls", GATEWAY).out()).contains("demo", "scratch");
        Result rm = cli("fs", "rm", "scratch", "--force", GATEWAY);
        assertThat(rm.code()).as(rm.err()).isZero();
        assertThat(cli("fs", "info", "scratch", GATEWAY).err()).startsWith("NOT_FOUND: ");
    }

    /**
     * S3 through the gateway with the client configurations the playground wrote: s3cmd (mb, sync of a tree, a 40 MB
     * multipart put, get, ls, del), awscli (cp, multipart cp, ls, rm) and rclone (copy and check); the objects are files of the demo file
     * system, read through a FUSE mount, and a file copied onto the mount is downloaded through S3.
     */
    @Test
    @Order(1)
    void s3ClientsWorkThroughTheGatewayWithTheConfigurationsThePlaygroundWrote() throws Exception {
        Path work = Files.createDirectories(dir.resolve("s3-work"));
        String endpoint = "http://127.0.0.1:" + PlaygroundLayout.GATEWAY_PORT;
        String s3cmd = "s3cmd -c " + PlaygroundCredentials.s3cmdConfig(dir);
        // AWS_CA_BUNDLE: a machine-wide bundle breaks rclone's plain-http transport, and nothing here uses TLS
        String aws = "unset AWS_CA_BUNDLE && . " + PlaygroundCredentials.awsEnv(dir) + " && aws --endpoint-url "
                + endpoint;
        Shell.bash(work, TOOL, "mkdir -p tree/a/b && seq 1 5000 > tree/a/b/numbers && cp " + home.resolve("README.md")
                + " tree/ && head -c 40000000 /dev/urandom > big.bin && head -c 17000000 big.bin > mid.bin");

        String listed = Shell.bash(work, TOOL, s3cmd + " mb s3://pg-bucket && " + s3cmd + " sync tree/ s3://pg-bucket/tree/"
                + " && " + s3cmd + " put big.bin s3://pg-bucket/big.bin && " + s3cmd
                + " get s3://pg-bucket/big.bin big.back && cmp big.bin big.back && " + s3cmd + " ls -r s3://pg-bucket");
        assertThat(listed).contains("s3://pg-bucket/tree/a/b/numbers", "s3://pg-bucket/tree/README.md",
                "s3://pg-bucket/big.bin");

        String viaAws = Shell.bash(work, TOOL, aws + " s3 cp tree/a/b/numbers s3://pg-bucket/aws/numbers && " + aws
                + " s3 cp mid.bin s3://pg-bucket/aws/mid.bin && " + aws + " s3 cp s3://pg-bucket/aws/mid.bin aws.back"
                + " && cmp mid.bin aws.back && " + aws + " s3 ls s3://pg-bucket/aws/ && " + aws
                + " s3 rm --recursive s3://pg-bucket/aws/ && " + aws + " s3 ls s3://pg-bucket/");
        assertThat(viaAws).contains("numbers").contains("PRE tree/").doesNotContain("PRE aws/");

        String rclone = "unset AWS_CA_BUNDLE && . " + PlaygroundCredentials.awsEnv(dir)
                + " && export RCLONE_CONFIG_PG_TYPE=s3 RCLONE_CONFIG_PG_PROVIDER=Other RCLONE_CONFIG_PG_ENV_AUTH=true"
                + " RCLONE_CONFIG_PG_ENDPOINT=" + endpoint + " RCLONE_CONFIG_PG_FORCE_PATH_STYLE=true && rclone";
        assertThat(Shell.bash(work, TOOL, rclone + " copy tree pg:pg-bucket/rclone && " + rclone
                + " check tree pg:pg-bucket/rclone 2>&1")).contains("0 differences found");

        Path mnt = Files.createDirectories(dir.resolve("s3-mnt"));
        Result mount = cli("fs", "mount", PlaygroundLayout.DEMO_FS, mnt.toString(), "--daemon", "--log-file",
                dir.resolve("logs").resolve("mount-s3.log").toString(), GATEWAY);
        assertThat(mount.code()).as(mount.err()).isZero();
        try {
            Shell.bash(work, TOOL, "cmp big.bin " + mnt.resolve("pg-bucket/big.bin") + " && cmp tree/a/b/numbers "
                    + mnt.resolve("pg-bucket/rclone/a/b/numbers") + " && cp " + home.resolve("pom.xml") + " "
                    + mnt.resolve("pg-bucket/from-mount.xml"));
        } finally {
            Result umount = cli("fs", "umount", mnt.toString());
            assertThat(umount.code()).as(umount.err()).isZero();
        }
        Shell.bash(work, TOOL, s3cmd + " get s3://pg-bucket/from-mount.xml back.xml && cmp back.xml "
                + home.resolve("pom.xml") + " && " + s3cmd + " del s3://pg-bucket/from-mount.xml");
    }

    /**
     * A multipart upload survives kill -9 of the s3-proxy: a part uploaded before, one after the restart, nothing
     * visible until it is completed, and the completed object is the parts joined.
     */
    @Test
    @Order(1)
    void aMultipartUploadGoesOnAfterKillDashNineOfTheS3Proxy() throws Exception {
        Path work = Files.createDirectories(dir.resolve("s3-kill"));
        String aws = "unset AWS_CA_BUNDLE && . " + PlaygroundCredentials.awsEnv(dir) + " && aws --endpoint-url "
                + "http://127.0.0.1:" + PlaygroundLayout.GATEWAY_PORT + " s3api";
        String id = Shell.bash(work, TOOL, "head -c 5242880 /dev/urandom > p1 && head -c 1234 /dev/urandom > p2"
                + " && cat p1 p2 > whole && " + aws + " create-bucket --bucket pg-kill >/dev/null && " + aws
                + " create-multipart-upload --bucket pg-kill --key mp/obj --query UploadId --output text").strip();
        String e1 = Shell.bash(work, TOOL, aws + " upload-part --bucket pg-kill --key mp/obj --upload-id " + id
                + " --part-number 1 --body p1 --query ETag --output text").strip();

        ProcessRecord proxy = processes.stream().filter(p -> p.name().equals("s3-proxy")).findFirst().orElseThrow();
        ProcessHandle handle = ProcessHandle.of(proxy.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(30, TimeUnit.SECONDS);
        Result up = playground.upAgain();
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("starting again: s3-proxy");
        processes = PlaygroundState.read(dir).orElseThrow().processes();

        String e2 = Shell.bash(work, TOOL, aws + " upload-part --bucket pg-kill --key mp/obj --upload-id " + id
                + " --part-number 2 --body p2 --query ETag --output text").strip();
        assertThat(Shell.bash(work, TOOL, aws + " list-parts --bucket pg-kill --key mp/obj --upload-id " + id
                + " --query 'Parts[].Size' --output text").strip()).isEqualTo("5242880\t1234");
        assertThat(Shell.bash(work, TOOL, aws + " list-objects-v2 --bucket pg-kill --query 'length(Contents || `[]`)'"
                + " --output text").strip()).as("nothing visible before complete").isEqualTo("0");
        Files.writeString(work.resolve("parts.json"), "{\"Parts\":[{\"PartNumber\":1,\"ETag\":" + e1
                + "},{\"PartNumber\":2,\"ETag\":" + e2 + "}]}");
        Shell.bash(work, TOOL, aws + " complete-multipart-upload --bucket pg-kill --key mp/obj --upload-id " + id
                + " --multipart-upload file://parts.json && " + aws + " get-object --bucket pg-kill --key mp/obj back"
                + " >/dev/null && cmp whole back");
    }

    @Test
    @Order(2)
    void statusShowsEveryProcessAliveAndUp() {
        Result r = cli("playground", "status", "--json", "--dir", dir.toString());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        JsonNode status = JsonMapper.builder().build().readTree(r.out());
        assertThat(status).hasSize(processes.size());
        for (JsonNode p : status) {
            assertThat(p.get("alive").asBoolean()).as(p.toString()).isTrue();
            assertThat(p.get("health").asString()).as(p.toString()).isEqualTo("UP");
        }
        // restarted processes go to the end of the state file, so find the MDS by name
        JsonNode mds = java.util.stream.StreamSupport.stream(status.spliterator(), false)
                .filter(p -> p.get("name").asString().equals("mds-service")).findFirst().orElseThrow();
        assertThat(mds.get("raftPort").asInt()).isEqualTo(PlaygroundLayout.MDS_RAFT_PORT);
        printMemory();
    }

    @Test
    @Order(3)
    void upAgainSaysItIsAlreadyUp() {
        Result r = cli("playground", "up", "--dir", dir.toString(), "--home", home.toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("already up");
        assertThat(PlaygroundState.read(dir).orElseThrow().processes()).isEqualTo(processes);
    }

    @Test
    @Order(4)
    void killDashNineOfTheMdsLosesNoAcknowledgedVolume() {
        for (int i = 0; i < 20; i++) {
            Result create = cli("volume", "create", "/demo/k" + i, "--size", "1GiB", GATEWAY);
            assertThat(create.code()).as(create.err()).isZero();
        }
        ProcessRecord mds = processes.stream().filter(p -> p.name().equals("mds-service")).findFirst().orElseThrow();
        ProcessHandle handle = ProcessHandle.of(mds.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().join();

        Result down = cli("volume", "ls", "/demo", GATEWAY);
        assertThat(down.code()).isNotZero();
        assertThat(down.err()).startsWith("UNAVAILABLE: ");

        Result up = cli("playground", "up", "--dir", dir.toString(), "--home", home.toString());
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("starting again: mds-service");
        processes = PlaygroundState.read(dir).orElseThrow().processes();

        Result ls = cli("volume", "ls", "/demo", "--json", GATEWAY);
        assertThat(ls.code()).as(ls.err()).isZero();
        for (int i = 0; i < 20; i++) {
            assertThat(ls.out()).contains("\"/demo/k" + i + "\"");
        }
        assertThat(ls.out()).contains("\"/demo/vol1\"");
    }

    /**
     * The demo file system mounted with the command the playground prints (as a daemon, through the gateway), and an
     * untar onto it that goes on while the meta-service leading the most partitions is killed with -9: it completes
     * and matches a local untar of the same archive. The whole-playground restart after this brings the victim back.
     */
    @Test
    @Order(5)
    void anUntarOntoTheDemoMountCompletesAndMatchesThroughKillDashNineOfAMetaService() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        Path work = Files.createDirectories(dir.resolve("fs-work"));
        Result mount = cli("fs", "mount", PlaygroundLayout.DEMO_FS, mnt.toString(), "--daemon", "--log-file",
                dir.resolve("logs").resolve("mount-demo.log").toString(), GATEWAY);
        assertThat(mount.code()).as(mount.err()).isZero();
        try {
            Shell.bash(work, TOOL, "tar cf src.tar -C " + home + " client/src meta-client/src mds-service/src"
                    + " chunk-service/src meta-service/src && mkdir local && tar xf src.tar -C local"
                    + " && mkdir " + mnt.resolve("untar"));
            Process untar = new ProcessBuilder("bash", "-c", "tar xf src.tar -C " + mnt.resolve("untar") + " && sync -f "
                    + mnt).directory(work.toFile()).redirectErrorStream(true).start();
            long deadline = System.nanoTime() + TOOL.toNanos();
            while (filesUnder(mnt.resolve("untar")) < 40 && untar.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(untar.isAlive()).as("untar still running when the meta-service is killed").isTrue();
            ProcessRecord victim = busiestMetaService();
            ProcessHandle handle = ProcessHandle.of(victim.pid()).orElseThrow();
            handle.destroyForcibly();
            handle.onExit().get(30, TimeUnit.SECONDS);
            System.out.printf("PlaygroundIT: killed -9 %s with %d files untarred%n", victim.name(),
                    filesUnder(mnt.resolve("untar")));

            assertThat(untar.waitFor(TOOL.toSeconds(), TimeUnit.SECONDS)).as("untar finished").isTrue();
            String out = new String(untar.getInputStream().readAllBytes());
            assertThat(untar.exitValue()).as("untar with %s killed: %s", victim.name(), out).isZero();
            Shell.bash(work, TOOL, "diff -r --no-dereference local " + mnt.resolve("untar"));
        } finally {
            Result umount = cli("fs", "umount", mnt.toString());
            assertThat(umount.code()).as(umount.err()).isZero();
        }
    }

    private static long filesUnder(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).count();
        } catch (java.io.UncheckedIOException e) {
            return 0; // a file renamed or removed during the walk: ask again
        }
    }

    /** The meta-service process that leads the most partitions. */
    private static ProcessRecord busiestMetaService() throws IOException, InterruptedException {
        int best = 1;
        int most = -1;
        for (int n = 1; n <= PlaygroundLayout.META_SERVICES; n++) {
            int led = PlaygroundFixture.partitionsLed(n);
            if (led > most) {
                most = led;
                best = n;
            }
        }
        assertThat(most).as("partitions led by the busiest meta-service").isPositive();
        return playground.process("meta-service-" + best);
    }

    @Test
    @Order(6)
    void theDemoVolumeIsServedOverNbdAndSurvivesADownAndUpOfTheWholePlayground() throws Exception {
        String uri = "nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT + PlaygroundLayout.DEMO_VOLUME;
        assertThat(tool("nbdinfo", uri)).contains("export-size: " + (10L << 30));
        tool("qemu-io", "-f", "raw", "-c", "write -P 0x5a 1M 8M", uri);

        // the meta-service killed above is still down: `down` stops the others and forgets it too
        processes = PlaygroundState.read(dir).orElseThrow().processes();
        long running = processes.stream().filter(p -> ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)
                .isPresent()).count();
        assertThat(running).isEqualTo(processes.size() - 1);
        Result down = cli("playground", "down", "--dir", dir.toString());
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(down.out()).contains("stopped " + running + " process(es)");
        for (ProcessRecord p : processes) {
            assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).as(p.name()).isEmpty();
        }
        assertThat(PlaygroundState.file(dir)).doesNotExist();
        Result up = cli("playground", "up", "--dir", dir.toString(), "--home", home.toString());
        assertThat(up.code()).as(up.out() + up.err()).isZero();
        processes = PlaygroundState.read(dir).orElseThrow().processes();

        assertThat(tool("qemu-io", "-f", "raw", "-r", "-c", "read -P 0x5a 1M 8M", uri))
                .doesNotContain("Pattern verification failed").contains("read 8388608/8388608");
        Result ls = cli("volume", "ls", "/demo", "--json", GATEWAY);
        assertThat(ls.out()).contains("\"/demo/vol1\"");
    }

    /** Runs a Debian tool (libnbd-bin, qemu-utils): missing means install it, never skip. */
    private static String tool(String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is missing: apt-get install libnbd-bin qemu-utils", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    private static void printMemory() {
        long total = 0;
        for (ProcessRecord p : processes) {
            long kib = rssKib(p.pid());
            total += kib;
            System.out.printf("PlaygroundIT: %-16s pid %-7d RSS %4d MiB%n", p.name(), p.pid(), kib / 1024);
        }
        System.out.printf("PlaygroundIT: total RSS %d MiB%n", total / 1024);
    }

    private static long rssKib(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
