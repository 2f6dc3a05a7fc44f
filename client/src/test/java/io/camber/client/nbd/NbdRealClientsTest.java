package io.camber.client.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against real NBD clients: nbdinfo and nbdcopy (Debian package libnbd-bin) and qemu-img (Debian
 * package qemu-utils). Missing tools fail the test rather than skip it, so CI cannot pass without them.
 */
class NbdRealClientsTest {
    private static final int SIZE = 64 << 20;
    private static final int IMAGE = 8 << 20;

    private static MapExportResolver resolver;
    private static NbdServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        resolver = new MapExportResolver().add("vol1", "Camber volume /tests/vol1", new MemoryBlockDevice(SIZE, false))
                .add("snap", "read-only snapshot", new MemoryBlockDevice(SIZE, true));
        server = new NbdServer(resolver, new InetSocketAddress("127.0.0.1", 0), true);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String uri(String export) {
        return "nbd://127.0.0.1:" + server.port() + "/" + export;
    }

    @Test
    void nbdinfoShowsTheExportSizeAndFlags() throws Exception {
        String out = run("nbdinfo", uri("vol1"));
        assertThat(out).contains("export-size: " + SIZE).containsPattern("is_read_only:\\s+false")
                .containsPattern("can_multi_conn:\\s+true").containsPattern("can_flush:\\s+true")
                .containsPattern("block_size_minimum:\\s+512").containsPattern("block_size_maximum:\\s+33554432");
        String readOnly = run("nbdinfo", uri("snap"));
        assertThat(readOnly).containsPattern("is_read_only:\\s+true");
        assertThat(run("nbdinfo", "--size", uri("vol1")).trim()).isEqualTo(Integer.toString(SIZE));
    }

    @Test
    void nbdinfoListsEveryExport() throws Exception {
        String out = run("nbdinfo", "--list", "nbd://127.0.0.1:" + server.port());
        assertThat(out).contains("export=\"vol1\"").contains("Camber volume /tests/vol1")
                .contains("export=\"snap\"").contains("read-only snapshot");
    }

    @Test
    void qemuImgWritesAnImageAndReadsItBack() throws Exception {
        byte[] image = new byte[IMAGE];
        new Random(7).nextBytes(image);
        Path source = dir.resolve("source.raw");
        Files.write(source, image);
        run("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), uri("vol1"));
        assertThat(sha256(resolver.device("vol1").snapshot(0, IMAGE))).isEqualTo(sha256(image));

        Path back = dir.resolve("back.raw");
        run("qemu-img", "convert", "-f", "raw", "-O", "raw", uri("vol1"), back.toString());
        byte[] copy = Files.readAllBytes(back);
        assertThat(copy).hasSize(SIZE);
        assertThat(sha256(Arrays.copyOf(copy, IMAGE))).isEqualTo(sha256(image));
        assertThat(Arrays.copyOfRange(copy, IMAGE, SIZE)).isEqualTo(new byte[SIZE - IMAGE]);

        // nbdcopy (libnbd) keeps many requests in flight on each connection.
        Path viaNbdcopy = dir.resolve("nbdcopy.raw");
        run("nbdcopy", uri("vol1"), viaNbdcopy.toString());
        assertThat(sha256(Files.readAllBytes(viaNbdcopy))).isEqualTo(sha256(copy));
    }

    @Test
    void qemuImgCannotWriteAReadOnlyExport() throws Exception {
        Path source = dir.resolve("small.raw");
        Files.write(source, new byte[1 << 20]);
        Process process = new ProcessBuilder("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw",
                source.toString(), uri("snap")).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(out).isNotZero();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail(command[0] + " is not installed: install the Debian packages libnbd-bin (nbdinfo, "
                    + "nbdcopy) and qemu-utils (qemu-img), e.g. apt-get install -y libnbd-bin qemu-utils", e);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail(String.join(" ", command) + " did not finish within 120 s");
        }
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as("%s exited with output:%n%s", String.join(" ", command), out).isZero();
        return out;
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
