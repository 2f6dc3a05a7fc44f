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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Self-healing as an operator sees it: the fault ITs' playground grown to four chunk services (zone1 holds two,
 * the balancer moves replicas onto the new one) and fio writing 4 KiB
 * blocks with crc32c verification through NBD. One of zone1's chunk services is killed with -9 and stays down: a
 * minute later (the playground's recovery delay) the MDS rebuilds each of its replicas on the other zone1 chunk
 * service while fio goes on. Every copyset ends with three healthy replicas on live chunk services, health returns
 * to HEALTH_OK with the dead one still down, fio sees no error, and every block verifies from a fresh connection.
 */
class SelfHealingIT {
    private static final String VOLUME = "/heal-verify";
    private static final String URI = "nbd://127.0.0.1:" + PlaygroundLayout.NBD_PORT + VOLUME;
    private static final String SIZE = "64m";
    private static final int VICTIM = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static PlaygroundFixture playground;

    @BeforeAll
    static void up() throws IOException {
        // Runs after ChunkKillIT, NbdKillIT and PlaygroundIT (failsafe runs alphabetically), which need three.
        playground = PlaygroundFixture.shared(FaultPlayground.JVM_OPTIONS);
        Result grow = playground.grow(VICTIM);
        assertThat(grow.code()).as("playground up --chunk-services %d:\n%s%s", VICTIM, grow.out(), grow.err())
                .isZero();
        Result create = PlaygroundFixture.cli("volume", "create", VOLUME, "--size", "1GiB", PlaygroundFixture.GATEWAY);
        assertThat(create.code()).as(create.err()).isZero();
    }

    /** The last class on the shared playground (the ITs after it run their own clusters): stop it now. */
    @AfterAll
    static void down() {
        PlaygroundFixture.closeShared();
    }

    @Test
    void aChunkServiceKilledForGoodUnderFioVerifyIsRebuiltElsewhereAndHealthReturnsToOk() throws Exception {
        long victimId = chunkServerAt(PlaygroundLayout.CHUNK_RAFT_BASE_PORT + VICTIM);
        // Zone rules put one replica of each copyset in zone1, so the balancer settles with half of them on the new
        // chunk service. Killing it mid-move would test a different path (a joining member lost).
        long growing = System.nanoTime();
        await(Duration.ofSeconds(300), "HEALTH_OK with 4 chunk services up and chunk-service-4 balanced in",
                () -> copysetsNaming(victimId) == PlaygroundLayout.COPYSETS / 2 && settled());
        System.out.printf("SelfHealingIT: chunk-service-4 holds %d copysets, balanced %.0f s after it started%n",
                copysetsNaming(victimId), (System.nanoTime() - growing) / 1e9);
        // Two passes over 64 MiB, each written then verified, at most 250 writes/s (about 65 s a pass): longer than
        // the recovery delay plus the rebuild, so the copysets change members under a running writer.
        FioRun fio = fio("heal", List.of("--rw=randwrite", "--do_verify=1", "--loops=2", "--rate_iops=0,250"));
        Thread.sleep(5000);
        ProcessRecord record = playground.process("chunk-service-" + VICTIM);
        ProcessHandle handle = ProcessHandle.of(record.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(30, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        System.out.printf("SelfHealingIT: killed -9 chunk-service-%d (chunk server %d, pid %d)%n", VICTIM, victimId,
                record.pid());

        await(Duration.ofSeconds(300), "every copyset rebuilt without chunk server " + victimId + " and HEALTH_OK",
                () -> copysetsNaming(victimId) == 0 && health().path("health").asString().equals("HEALTH_OK"));
        System.out.printf("SelfHealingIT: HEALTH_OK again %.0f s after the kill (recovery delay %s)%n",
                (System.nanoTime() - killedAt) / 1e9, PlaygroundLayout.RECOVERY_AFTER);
        assertThat(fio.process().isAlive()).as("fio ended before the copysets were rebuilt: make the job longer")
                .isTrue();
        JsonNode h = health();
        assertThat(h.path("chunkServersUp").asInt()).isEqualTo(3);
        assertThat(h.path("copysetsHealthy").asInt()).isEqualTo(PlaygroundLayout.COPYSETS);

        JsonNode write = finish(fio, "write and verify across the rebuild", 600);
        System.out.printf("SelfHealingIT: %d writes, %.0f IOPS, longest write %.2f s, %d verified%n",
                write.path("write").path("total_ios").asLong(), write.path("write").path("iops").asDouble(),
                write.path("write").path("clat_ns").path("max").asDouble() / 1e9,
                write.path("read").path("total_ios").asLong());
        assertThat(write.path("write").path("total_ios").asLong()).isEqualTo(2 * 16384L);
        JsonNode verify = finish(fio("verify", List.of("--rw=randwrite", "--verify_only")), "verify afterwards", 300);
        assertThat(verify.path("read").path("total_ios").asLong()).as("blocks read back and verified")
                .isEqualTo(16384);
        String mdsLog = Files.readString(playground.dir.resolve("logs").resolve("mds-service.log"));
        assertThat(mdsLog).contains("event=copyset-member-replaced")
                .contains("why=\"recover: chunk server " + victimId + " is lost\"");
    }

    private static JsonNode health() {
        Result r = PlaygroundFixture.cli("cluster", "status", "--json", PlaygroundFixture.GATEWAY);
        assertThat(r.code()).as(r.err()).isIn(0, 1, 2);
        return JSON.readTree(r.out());
    }

    /** HEALTH_OK, four chunk servers up and no replica being moved. */
    private static boolean settled() {
        JsonNode h = health();
        return h.path("health").asString().equals("HEALTH_OK") && h.path("chunkServersUp").asInt() == VICTIM
                && h.path("copysetsMoving").asInt() == 0;
    }

    /** The chunk server id serving a Raft port now. */
    private static long chunkServerAt(int raftPort) {
        Result r = PlaygroundFixture.cli("chunkserver", "ls", "--json", PlaygroundFixture.GATEWAY);
        assertThat(r.code()).as(r.err()).isZero();
        for (JsonNode cs : JSON.readTree(r.out())) {
            if (cs.path("port").asInt() == raftPort && !cs.path("state").asString().equals("RETIRED")) {
                return cs.path("id").asLong();
            }
        }
        throw new AssertionError("no chunk server on Raft port " + raftPort + ": " + r.out());
    }

    /** Copysets that list the chunk server as a member. */
    private static long copysetsNaming(long chunkServerId) {
        Result r = PlaygroundFixture.cli("copyset", "ls", "--json", PlaygroundFixture.GATEWAY);
        long n = 0;
        for (JsonNode c : JSON.readTree(r.out())) {
            for (JsonNode m : c.path("members")) {
                n += m.path("chunkServerId").asLong() == chunkServerId ? 1 : 0;
            }
        }
        return n;
    }

    private static void await(Duration timeout, String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(1000);
        }
        Result copysets = PlaygroundFixture.cli("copyset", "ls", PlaygroundFixture.GATEWAY);
        throw new AssertionError("not within " + timeout + ": " + what + "; health " + health() + "\n"
                + copysets.out());
    }

    private record FioRun(Process process, Path output) {
    }

    private static FioRun fio(String name, List<String> mode) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=" + name, "--ioengine=nbd", "--uri=" + URI,
                "--bs=4k", "--iodepth=16", "--size=" + SIZE, "--randseed=4343", "--verify=crc32c",
                "--verify_fatal=1", "--output-format=json"));
        cmd.addAll(mode);
        Path out = Files.createTempFile("nbdrecovery-" + name, ".json");
        Path err = out.resolveSibling(out.getFileName() + ".err");
        return new FioRun(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out);
    }

    private static JsonNode finish(FioRun fio, String what, int seconds) throws Exception {
        assertThat(fio.process().waitFor(seconds, TimeUnit.SECONDS)).as("fio (%s) did not finish within %d s", what,
                seconds).isTrue();
        String json = Files.readString(fio.output(), StandardCharsets.UTF_8);
        String err = Files.readString(fio.output().resolveSibling(fio.output().getFileName() + ".err"));
        assertThat(fio.process().exitValue()).as("fio (%s) exit code; output:\n%s\n%s", what, json, err).isZero();
        JsonNode job = JSON.readTree(json.substring(json.indexOf('{'))).path("jobs").get(0);
        assertThat(job.path("error").asInt()).as("fio (%s) error", what).isZero();
        return job;
    }
}
