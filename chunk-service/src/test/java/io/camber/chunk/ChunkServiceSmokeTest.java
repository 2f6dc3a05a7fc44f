package io.camber.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** The chunk-service starts without a config server and exposes health and Prometheus metrics. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"spring.cloud.config.enabled=false", "camber.chunk.enabled=false"})
class ChunkServiceSmokeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

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
        assertThat(answer.body()).contains("jvm_memory_used_bytes{").contains("application=\"chunk-service\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
