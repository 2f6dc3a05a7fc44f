package io.camber.testkit;

import io.camber.client.block.VolumeExports;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.client.nbd.NbdServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camber volumes through NBD with the real clients from Debian's packages (libnbd-bin, qemu-utils, fio):
 * nbdinfo, qemu-img convert in and out, fio random writes with crc32c verification from a fresh
 * connection and after restarting the whole cluster, and the IO fence between two NBD servers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NbdToolsIT {
    private static final long GIB = 1L << 30;
    private static final int IMAGE_MIB = 128;
    /** fio's random 64 KiB writes spread over 32 chunks of 4 MiB; 256m only doubled the CI time. */
    private static final String FIO_SIZE = "--size=128m";
    private static MiniCluster cluster;
    private static ChunkClient chunks;
    private static NbdServer nbd;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).chunkServers(3).chunkSize(4L << 20).copysets(8).start();
        AdminHttp http = new AdminHttp(cluster.url());
        for (String v : List.of("/img", "/fio", "/fence")) {
            AdminHttp.Response r = http.post("/api/v1/volumes", Map.of("path", v, "size", "1GiB"));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        chunks = new ChunkClient(256L << 20);
        nbd = server(false);
        work = Files.createTempDirectory("camber-nbd-it");
    }

    private static NbdServer server(boolean readOnly) {
        VolumeExports exports = new VolumeExports(new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY), chunks,
                new SimpleMeterRegistry(),
                readOnly, "nbd-it");
        NbdServer s = new NbdServer(exports, new InetSocketAddress("127.0.0.1", 0), true, readOnly);
        s.start();
        return s;
    }

    @AfterAll
    static void stop() throws Exception {
        if (nbd != null) {
            nbd.close();
        }
        if (chunks != null) {
            chunks.close();
        }
        cluster.close();
        TestDirectories.delete(work);
    }

    private static String uri(NbdServer s, String volume) {
        return "nbd://127.0.0.1:" + s.port() + volume;
    }

    @Test
    @Order(1)
    void nbdinfoShowsTheExportWithItsSize() throws Exception {
        String out = run(60, "nbdinfo", uri(nbd, "/img"));
        assertThat(out).contains("export-size: " + GIB).contains("can_flush: true").contains("can_trim: true");
        assertThat(run(60, "nbdinfo", "--list", "nbd://127.0.0.1:" + nbd.port())).contains("/img", "/fio", "/fence");
    }

    @Test
    @Order(2)
    void qemuImgConvertsARandomImageInAndOutUnchanged() throws Exception {
        // 128 MiB: 32 chunks of 4 MiB written, the rest of the 1 GiB volume never; 256 MiB only doubled the CI time
        Path in = work.resolve("in.img");
        byte[] block = new byte[1 << 20];
        Random random = new Random(1);
        try (var out = Files.newOutputStream(in)) {
            for (int i = 0; i < IMAGE_MIB; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        long t0 = System.nanoTime();
        run(300, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", in.toString(), uri(nbd, "/img"));
        long t1 = System.nanoTime();
        Path back = work.resolve("out.img");
        run(300, "qemu-img", "convert", "-f", "raw", "-O", "raw", uri(nbd, "/img"), back.toString());
        long t2 = System.nanoTime();
        System.out.printf("NbdToolsIT: qemu-img %d MiB in %.1f s (%.1f MiB/s), out %.1f s (%.1f MiB/s)%n", IMAGE_MIB,
                (t1 - t0) / 1e9, IMAGE_MIB / ((t1 - t0) / 1e9), (t2 - t1) / 1e9, IMAGE_MIB / ((t2 - t1) / 1e9));
        long image = (long) IMAGE_MIB << 20;
        assertThat(Files.size(back)).isEqualTo(GIB);
        assertThat(sha256(back, image)).isEqualTo(sha256(in, image));
        assertThat(sha256Zero(back, image, GIB)).as("the rest of the volume reads as zeros").isTrue();
    }

    @Test
    @Order(3)
    void fioRandomWritesVerifyFromAFreshConnectionAndAfterAClusterRestart() throws Exception {
        String fio = fio("randwrite", "--iodepth=32", "--bs=64k", FIO_SIZE, "--verify=crc32c",
                "--do_verify=0", "--verify_state_save=0");
        assertThat(fio).contains("err= 0");
        assertThat(fio(verifyJob())).contains("err= 0");

        nbd.close();
        cluster.stopChunkServers(cluster.chunkServers());
        cluster.restart(cluster.mds().get(0));
        cluster.awaitLeader(Duration.ofSeconds(30));
        for (MiniCluster.ChunkNode n : cluster.chunkServers()) {
            cluster.restart(n);
        }
        chunks.close();
        chunks = new ChunkClient(256L << 20);
        nbd = server(false);
        assertThat(fio(verifyJob())).as("data survives a restart of every service").contains("err= 0");
    }

    private static String[] verifyJob() {
        return new String[] {"--rw=randwrite", "--iodepth=32", "--bs=64k", FIO_SIZE, "--verify=crc32c",
                "--verify_only", "--verify_state_save=0"};
    }

    private static String fio(String... job) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=camber", "--ioengine=nbd",
                "--uri=" + uri(nbd, "/fio"), "--randrepeat=1", "--norandommap", "--exitall_on_error=1"));
        for (String j : job) {
            cmd.add(j.startsWith("--") ? j : "--rw=" + j);
        }
        return run(600, cmd.toArray(String[]::new));
    }

    @Test
    @Order(4)
    void aSecondWriterOnAnotherNbdServerFencesTheFirst() throws Exception {
        NbdServer second = server(false);
        try {
            Process firstWriter = start("fio", "--name=first", "--ioengine=nbd", "--uri=" + uri(nbd, "/fence"),
                    "--rw=randwrite", "--bs=4k", "--iodepth=4", "--size=64m", "--time_based", "--runtime=60",
                    "--exitall_on_error=1");
            Thread.sleep(4000);
            assertThat(firstWriter.isAlive()).as("the first writer runs").isTrue();
            run(120, "qemu-io", "-f", "raw", "-c", "write -P 0x62 0 64M", uri(second, "/fence"));
            assertThat(firstWriter.waitFor(60, TimeUnit.SECONDS)).as("the first writer stops on errors").isTrue();
            String firstOut = new String(firstWriter.getInputStream().readAllBytes());
            assertThat(firstWriter.exitValue()).as(firstOut).isNotZero();
            // Every byte the second writer wrote is still there: nothing of the first landed after it opened.
            String check = run(120, "qemu-io", "-f", "raw", "-r", "-c", "read -P 0x62 0 64M", uri(second, "/fence"));
            assertThat(check).doesNotContain("Pattern verification failed").contains("read 67108864/67108864");
        } finally {
            second.close();
        }
    }

    private static Process start(String... cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Runs a tool and returns its output; a missing tool fails with what to install, never a skip. */
    static String run(int seconds, String... cmd) throws Exception {
        Process p;
        try {
            p = start(cmd);
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is missing: apt-get install libnbd-bin qemu-utils fio ("
                    + e.getMessage() + ")");
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finished").isTrue();
        String text = new String(out);
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + text).isZero();
        return text;
    }

    private static String sha256(Path file, long bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            long left = bytes;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                sha.update(buf, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static boolean sha256Zero(Path file, long from, long to) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20);
            for (long pos = from; pos < to; pos += buf.capacity()) {
                buf.clear();
                ch.read(buf, pos);
                for (int i = 0; i < buf.position(); i++) {
                    if (buf.get(i) != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
