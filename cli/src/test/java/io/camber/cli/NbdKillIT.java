package io.camber.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.PlaygroundFixture.Result;
import io.camber.cli.playground.PlaygroundLayout;
import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
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
        playground = PlaygroundFixture.up("NbdKillIT");
        Result create = PlaygroundFixture.cli("volume", "create", VOLUME, "--size", "1GiB", PlaygroundFixture.GATEWAY);
        assertThat(create.code()).as(create.err()).isZero();
    }

    @AfterAll
    static void down() {
        if (playground != null) {
            playground.close();
        }
    }

    @Test
    void killDashNineOfTheBusiestChunkServiceUnderFioVerifyReturnsNoErrorAndLosesNothing() throws Exception {
        FioRun fio = fio("write", List.of("--rw=randwrite", "--do_verify=1"));
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
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=" + name, "--ioengine=nbd", "--uri=" + URI,
                "--bs=4k", "--iodepth=16", "--size=" + SIZE, "--randseed=4242", "--verify=crc32c",
                "--verify_fatal=1", "--output-format=json"));
        cmd.addAll(mode);
        Path out = Files.createTempFile("nbdkill-" + name, ".json");
        Path err = out.resolveSibling(out.getFileName() + ".err");
        return new FioRun(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out);
    }

    private static JsonNode finish(FioRun fio, String what) throws Exception {
        assertThat(fio.process().waitFor(300, TimeUnit.SECONDS)).as("fio (%s) did not finish within 300 s", what)
                .isTrue();
        String json = Files.readString(fio.output(), StandardCharsets.UTF_8);
        String err = Files.readString(fio.output().resolveSibling(fio.output().getFileName() + ".err"));
        assertThat(fio.process().exitValue()).as("fio (%s) exit code; output:\n%s\n%s", what, json, err).isZero();
        JsonNode job = JsonMapper.builder().build().readTree(json.substring(json.indexOf('{'))).path("jobs").get(0);
        assertThat(job.path("error").asInt()).as("fio (%s) error", what).isZero();
        return job;
    }
}
