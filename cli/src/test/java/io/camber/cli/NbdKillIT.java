package io.camber.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.PlaygroundFixture.Result;
import io.camber.cli.playground.PlaygroundLayout;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The headline fault test: fio writes 4 KiB random blocks with crc32c verification through the playground's NBD
 * server while the chunk service that leads the most copysets is killed with -9. fio must see no error, no write
 * may wait longer than 10 s (the copysets elect new leaders), every block verifies, and after the killed service
 * is back a fresh connection verifies every block again.
 */
class NbdKillIT {
    private static final String VOLUME = "/kill-verify";
    private static final String URI = "nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT + VOLUME;
    /** 16,384 random 4 KiB writes over every copyset: long enough to kill a leader in the middle of them. */
    private static final String SIZE = "64m";
    private static final long KILL_AFTER_MS = 6000;
    private static final double MAX_PAUSE_SECONDS = 10;

    private static PlaygroundFixture playground;

    @BeforeAll
    static void up() throws IOException {
        playground = PlaygroundFixture.shared(FaultPlayground.JVM_OPTIONS);
        for (String volume : List.of(VOLUME, OUTAGE_VOLUME)) {
            Result create = PlaygroundFixture.cli("volume", "create", volume, "--size", "1GiB",
                    PlaygroundFixture.GATEWAY);
            assertThat(create.code()).as(create.err()).isZero();
        }
    }

    private static final String OUTAGE_VOLUME = "/outage-verify";
    /** Past the lease below, so every session expires during the outage (it was 60 s; trimmed for the CI budget). */
    private static final long OUTAGE_SECONDS = 35;

    /** The session lease of the playground's MDS (config/mds-service.yml): renewals come every third of it. */
    private static final long LEASE_SECONDS = 20;

    /**
     * The gateway and the MDS killed -9 and kept down for 35 s (past a session lease) while fio writes and
     * verifies through NBD: IO on allocated segments needs neither, so fio must see no error and no long pause.
     * Once they are back the writer keeps its session (the restarted leader grants stored sessions a full lease):
     * a slow reader holds the export's shared volume open throughout, and more than a lease after the return a new
     * writer joins that same session (no new open, so no new epoch) and its writes are accepted and verify.
     */
    @Test
    void theGatewayAndTheMdsDownPastASessionLeaseUnderFioVerifyCostNoError() throws Exception {
        String uri = "nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT + OUTAGE_VOLUME;
        // Passes over 64 MiB, each written then verified, with writes held to 400/s: the job lasts at least
        // LOOPS x 41 s on any machine, longer than the outage.
        FioRun fio = fio("outage", uri, List.of("--rw=randwrite", "--do_verify=1", "--loops=" + LOOPS,
                "--rate_iops=0,400"));
        Thread.sleep(3000);
        // a connection to the same export shares the writer's volume and session and keeps both open to the end
        Process keeper = new ProcessBuilder("fio", "--name=keeper", "--ioengine=nbd", "--uri=" + uri, "--bs=4k",
                "--size=4m", "--rw=randread", "--rate_iops=2", "--time_based", "--runtime=1200")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(1000);
            assertThat(keeper.isAlive()).as("the keeping reader runs").isTrue();
            List<ProcessRecord> victims = List.of(playground.process("gateway"), playground.process("mds-service"));
            for (ProcessRecord victim : victims) {
                ProcessHandle handle = ProcessHandle.of(victim.pid()).orElseThrow();
                handle.destroyForcibly();
                handle.onExit().get(30, TimeUnit.SECONDS);
            }
            System.out.printf("NbdKillIT: killed -9 the gateway and the MDS; down for %d s%n", OUTAGE_SECONDS);
            Thread.sleep(OUTAGE_SECONDS * 1000);
            assertThat(fio.process().isAlive()).as("fio ended during the outage: make the job longer").isTrue();
            Result restart = playground.upAgain();
            assertThat(restart.code()).as("restart failed:\n%s%s", restart.out(), restart.err()).isZero();
            long backAt = System.nanoTime();

            JsonNode run = finish(fio, "write and verify across the outage", 900);
            double maxPause = run.path("write").path("clat_ns").path("max").asDouble() / 1e9;
            System.out.printf("NbdKillIT: %d writes across the outage, %.0f IOPS, longest write %.2f s, %d verified%n",
                    run.path("write").path("total_ios").asLong(), run.path("write").path("iops").asDouble(), maxPause,
                    run.path("read").path("total_ios").asLong());
            assertThat(run.path("write").path("total_ios").asLong()).isEqualTo(LOOPS * 16384L);
            assertThat(maxPause).as("longest write").isLessThan(MAX_PAUSE_SECONDS);

            // Renewals against the restarted MDS for more than a lease: a session it had dropped would show by now.
            long waited = (System.nanoTime() - backAt) / 1_000_000_000;
            if (waited < LEASE_SECONDS + 5) {
                Thread.sleep((LEASE_SECONDS + 5 - waited) * 1000);
            }
            assertThat(keeper.isAlive()).as("the keeping reader still runs").isTrue();
            long opensBefore = opens(OUTAGE_VOLUME);
            JsonNode after = finish(fio("after-outage", uri, List.of("--rw=randwrite", "--do_verify=1", "--size=8m",
                    "--randseed=77")), "write and verify on the kept session after the MDS is back");
            assertThat(after.path("write").path("total_ios").asLong()).as("writes accepted after the return")
                    .isEqualTo(2048);
            assertThat(opens(OUTAGE_VOLUME)).as("the new writer joined the kept session").isEqualTo(opensBefore);
        } finally {
            keeper.destroyForcibly();
        }
        String nbdLog = Files.readString(playground.dir.resolve("logs").resolve("nbd.log"));
        assertThat(nbdLog).as("the writer kept its session")
                .doesNotContain("event=volume-lost path=" + OUTAGE_VOLUME)
                .doesNotContain("event=session-resume-failed path=" + OUTAGE_VOLUME)
                .contains("event=volume-opened path=" + OUTAGE_VOLUME);
    }

    /** How often the NBD server opened the volume (a new session each time) so far. */
    private static long opens(String volume) throws IOException {
        return Files.readAllLines(playground.dir.resolve("logs").resolve("nbd.log")).stream()
                .filter(l -> l.contains("event=volume-opened path=" + volume + " ")).count();
    }

    private static final int LOOPS = 2;

    // No @AfterAll down: the playground stays up for the next fault IT (PlaygroundFixture.shared).

    /**
     * The chunk service leading the most copysets killed -9 under fio through NBD and S3 PUTs through the gateway at
     * once: fio sees no error and no long pause, every block verifies after its restart, and every acknowledged S3
     * object reads back whole (one whose PUT failed is absent or whole).
     */
    @Test
    void killDashNineOfTheBusiestChunkServiceUnderFioVerifyAndS3PutsLosesNothing() throws Exception {
        FioRun fio = fio("write", List.of("--rw=randwrite", "--do_verify=1"));
        S3PutLoad puts = new S3PutLoad(playground.dir, "chunk-kill");
        puts.start(2);
        Thread.sleep(KILL_AFTER_MS);
        assertThat(fio.process().isAlive()).as("fio ended before the kill: make the job longer").isTrue();
        int victim = busiestChunkService();
        ProcessRecord record = playground.process("chunk-service-" + victim);
        ProcessHandle handle = ProcessHandle.of(record.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(30, TimeUnit.SECONDS);
        System.out.printf("NbdKillIT: killed -9 chunk-service-%d (pid %d), leader of the most copysets%n", victim,
                record.pid());

        JsonNode write = finish(fio, "write with a kill");
        int ackedBeforeStop = puts.acknowledgedCount();
        puts.stop(Duration.ofSeconds(120));
        System.out.printf("NbdKillIT: %d S3 PUTs acknowledged across the kill, %d failed%n", puts.acknowledgedCount(),
                puts.failedCount());
        assertThat(ackedBeforeStop).as("S3 PUTs acknowledged while fio ran across the kill").isPositive();
        double maxPause = write.path("write").path("clat_ns").path("max").asDouble() / 1e9;
        System.out.printf("NbdKillIT: %d writes, %.0f IOPS, longest write %.2f s%n",
                write.path("write").path("total_ios").asLong(), write.path("write").path("iops").asDouble(), maxPause);
        assertThat(write.path("write").path("total_ios").asLong()).isEqualTo(16384);
        assertThat(maxPause).as("longest write (IO must resume within %s s of the kill)", MAX_PAUSE_SECONDS)
                .isLessThan(MAX_PAUSE_SECONDS);

        Result restart = playground.upAgain();
        assertThat(restart.code()).as("restart failed:\n%s%s", restart.out(), restart.err()).isZero();
        assertThat(restart.out()).contains("starting again: chunk-service-" + victim);
        JsonNode verify = finish(fio("verify", List.of("--rw=randwrite", "--verify_only")), "verify after restart");
        System.out.printf("NbdKillIT: verified %d blocks from a fresh connection after the restart%n",
                verify.path("read").path("total_ios").asLong());
        assertThat(verify.path("read").path("total_ios").asLong()).as("blocks read back and verified")
                .isEqualTo(16384);
        try (puts) {
            puts.assertNothingLostOrTorn();
        }
    }

    private static int busiestChunkService() throws Exception {
        int best = 1;
        int most = -1;
        for (int n = 1; n <= PlaygroundLayout.CHUNK_SERVICES; n++) {
            int led = PlaygroundFixture.copysetsLed(n);
            System.out.printf("NbdKillIT: chunk-service-%d leads %d copysets%n", n, led);
            if (led > most) {
                most = led;
                best = n;
            }
        }
        assertThat(most).as("copysets led by the busiest chunk service").isPositive();
        return best;
    }

    /** A running fio and the file its JSON report goes to. */
    private record FioRun(Process process, Path output) {
    }

    /** fio through NBD, writing (then verifying) or only verifying the same blocks: same seed, same offsets. */
    private static FioRun fio(String name, List<String> mode) throws IOException {
        return fio(name, URI, mode);
    }

    private static FioRun fio(String name, String uri, List<String> mode) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=" + name, "--ioengine=nbd", "--uri=" + uri,
                "--bs=4k", "--iodepth=16", "--size=" + SIZE, "--randseed=4242", "--verify=crc32c",
                "--verify_fatal=1", "--output-format=json"));
        cmd.addAll(mode);
        Path out = Files.createTempFile("nbdkill-" + name, ".json");
        Path err = out.resolveSibling(out.getFileName() + ".err");
        return new FioRun(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out);
    }

    /** The NBD server's last warnings (failed requests and why), for a failure message. */
    private static String nbdWarnings() throws IOException {
        List<String> warnings = Files.readAllLines(playground.dir.resolve("logs").resolve("nbd.log")).stream()
                .filter(l -> l.contains("WARN") && !l.contains("session-renew-failed")).toList();
        return String.join("\n", warnings.subList(Math.max(0, warnings.size() - 20), warnings.size()));
    }

    private static JsonNode finish(FioRun fio, String what) throws Exception {
        return finish(fio, what, 300);
    }

    private static JsonNode finish(FioRun fio, String what, int seconds) throws Exception {
        assertThat(fio.process().waitFor(seconds, TimeUnit.SECONDS)).as("fio (%s) did not finish within %d s", what,
                seconds).isTrue();
        String json = Files.readString(fio.output(), StandardCharsets.UTF_8);
        String err = Files.readString(fio.output().resolveSibling(fio.output().getFileName() + ".err"));
        assertThat(fio.process().exitValue()).as("fio (%s) exit code; output:\n%s\n%s\nnbd.log warnings:\n%s", what,
                json, err, nbdWarnings()).isZero();
        JsonNode job = JsonMapper.builder().build().readTree(json.substring(json.indexOf('{'))).path("jobs").get(0);
        assertThat(job.path("error").asInt()).as("fio (%s) error", what).isZero();
        return job;
    }
}
