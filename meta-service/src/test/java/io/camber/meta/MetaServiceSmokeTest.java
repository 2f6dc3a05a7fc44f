package io.camber.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.camber.meta.server.PartitionServerLifecycle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The meta-service starts without a config server, with its partition server up (on a test port and data folder),
 * and exposes health and Prometheus metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.cloud.config.enabled=false")
@DirtiesContext // closes the partition server before its temporary data folder is deleted
class MetaServiceSmokeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void partitionServer(DynamicPropertyRegistry registry) {
        int raftPort = LoopbackPorts.free();
        registry.add("camber.meta.data-dir", () -> data.toString());
        registry.add("camber.meta.raft-port", () -> raftPort);
        // Unregistered: an MDS on the default port (a playground on this machine) must never hear from a test.
        registry.add("camber.meta.mds", () -> "");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    PartitionServerLifecycle partitions;

    @Test
    void thePartitionServerRunsWithNoPartitionsYet() {
        assertThat(partitions.isRunning()).isTrue();
        assertThat(partitions.server().partitions()).isEmpty();
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> answer = get("/actuator/health");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheusExportsJvmMetricsTaggedWithTheService() throws Exception {
        HttpResponse<String> answer = get("/actuator/prometheus");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("jvm_memory_used_bytes{").contains("application=\"meta-service\"")
                .contains("camber_meta_partitions{");
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
