package io.camber.client.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volumes as NBD exports, against an MDS stand-in on a real HTTP port that records every call it gets. */
class VolumeExportsTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    /** Calls still to answer 503, as a gateway does while the MDS behind it restarts. */
    private final java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger();
    private HttpServer mds;
    private ChunkClient chunks;
    private VolumeExports exports;

    @BeforeEach
    void start() throws IOException {
        mds = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mds.createContext("/", this::answer);
        mds.start();
        chunks = new ChunkClient(1 << 20);
        exports = new VolumeExports(new MdsAdminClient("http://127.0.0.1:" + mds.getAddress().getPort()), chunks,
                new SimpleMeterRegistry(), false, "test");
    }

    private void answer(HttpExchange x) throws IOException {
        String call = x.getRequestMethod() + " " + x.getRequestURI();
        calls.add(call);
        String body;
        int status = 200;
        if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = 503;
            body = "{\"code\":\"UNAVAILABLE\",\"detail\":\"the MDS is restarting\"}";
        } else if (call.equals("GET /api/v1/volumes/stat?path=%2Fvol")) {
            body = "{\"id\":7,\"path\":\"/vol\",\"type\":\"VOLUME\",\"owner\":\"o\",\"size\":1073741824,\"pool\":\"p\","
                    + "\"chunkSize\":16777216,\"segmentSize\":1073741824,\"epoch\":3,\"createdAtMillis\":1}";
        } else if (call.equals("GET /api/v1/volumes?dir=%2F")) {
            body = "[{\"id\":7,\"path\":\"/vol\",\"type\":\"VOLUME\",\"owner\":\"o\",\"size\":1073741824,"
                    + "\"pool\":\"p\",\"chunkSize\":16777216,\"segmentSize\":1073741824,\"epoch\":3,"
                    + "\"createdAtMillis\":1},{\"id\":9,\"path\":\"/.fs\",\"type\":\"DIRECTORY\",\"owner\":\"system\","
                    + "\"size\":0,\"pool\":null,\"chunkSize\":0,\"segmentSize\":0,\"epoch\":0,\"createdAtMillis\":1}]";
        } else if (call.equals("GET /api/v1/volumes/stat?path=%2Fdir")) {
            body = "{\"id\":8,\"path\":\"/dir\",\"type\":\"DIRECTORY\",\"owner\":\"o\",\"size\":0,\"pool\":null,"
                    + "\"chunkSize\":0,\"segmentSize\":0,\"epoch\":0,\"createdAtMillis\":1}";
        } else {
            status = 404;
            body = "{\"code\":\"NOT_FOUND\",\"detail\":\"nothing at " + x.getRequestURI().getPath() + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Test
    void anInfoProbeOnlyStatsTheVolume() {
        BlockDevice probe = exports.probe("vol");
        assertThat(probe.size()).isEqualTo(1L << 30);
        assertThatThrownBy(() -> probe.read(0, 512).join()).hasMessageContaining("NBD_OPT_GO");
        probe.close();
        assertThat(calls).as("no session opened, nothing written to the MDS log")
                .containsExactly("GET /api/v1/volumes/stat?path=%2Fvol");
    }

    @Test
    void fileSystemsDataVolumesAreNeitherListedNorOpenedAsExports() {
        assertThat(exports.list()).extracting(io.camber.client.nbd.ExportInfo::name).containsExactly("/vol");
        assertThat(calls).as("the reserved directory is not walked").doesNotContain("GET /api/v1/volumes?dir=%2F.fs");
        for (String name : List.of("/.fs/3", ".fs/3")) {
            assertThatThrownBy(() -> exports.open(name, false)).isInstanceOfSatisfying(CamberException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThatThrownBy(() -> exports.probe(name)).isInstanceOfSatisfying(CamberException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        }
        assertThat(calls).as("refused before asking the MDS").containsExactly("GET /api/v1/volumes?dir=%2F");
    }

    @Test
    void probesOfDirectoriesAndMissingVolumesAreRefusedWithTheirCode() {
        assertThatThrownBy(() -> exports.probe("/dir")).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> exports.probe("/nope")).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aFailedOpenIsNotRememberedAndIsTriedAgainByTheNextConnection() {
        assertThatThrownBy(() -> exports.open("/nope", false)).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> exports.open("/nope", false)).isInstanceOf(CamberException.class);
        assertThat(calls).containsExactly("GET /api/v1/volumes/stat?path=%2Fnope",
                "GET /api/v1/volumes/stat?path=%2Fnope");
    }

    @Test
    void aLookupWaitsForAnMdsThatIsBrieflyUnreachableAndSaysSoWhenItStaysAway() {
        unavailable.set(2);
        assertThat(exports.probe("vol").size()).isEqualTo(1L << 30);
        assertThat(calls).hasSize(3);

        unavailable.set(Integer.MAX_VALUE);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> exports.probe("vol")).isInstanceOfSatisfying(CamberException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("could not be reached", "retry once the MDS is up");
        });
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(java.time.Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        chunks.close();
        mds.stop(0);
    }
}
