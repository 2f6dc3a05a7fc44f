package io.camber.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Serves the repository's real {@code config/} folder and checks what a service would receive. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConfigServerTest {

    private static final Path CONFIG_DIR = Path.of("..", "config").toAbsolutePath().normalize();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void configDir(DynamicPropertyRegistry registry) {
        registry.add("camber.config.dir", () -> CONFIG_DIR.toUri().toString());
    }

    @Test
    void servesMdsServiceDefaultsFromTheConfigFolder() throws Exception {
        assertThat(Files.isRegularFile(CONFIG_DIR.resolve("mds-service.yml"))).isTrue();

        HttpResponse<String> answer = get("/mds-service/default");

        assertThat(answer.statusCode()).isEqualTo(200);
        // a value only mds-service.yml holds, then one from the cluster-wide application.yml
        assertThat(answer.body())
                .contains("\"camber.mds.session-lease\":\"20s\"")
                .contains("\"management.endpoints.web.exposure.include\":\"health,info,prometheus\"");
    }

    @Test
    void exposesPrometheusMetrics() throws Exception {
        HttpResponse<String> answer = get("/actuator/prometheus");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("jvm_memory_used_bytes");
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
