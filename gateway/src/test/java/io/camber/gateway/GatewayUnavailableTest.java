package io.camber.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no MDS reachable the gateway answers its own 503 problem document with code UNAVAILABLE. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.cloud.config.enabled=false")
class GatewayUnavailableTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void mdsInstances(DynamicPropertyRegistry registry) throws Exception {
        String dead = FakeMds.deadUri();
        registry.add("spring.cloud.discovery.client.simple.instances.mds[0].uri", () -> dead);
    }

    @Test
    void getAnswers503Unavailable() throws Exception {
        assertUnavailable(HttpRequest.newBuilder(uri("/api/v1/cluster/status")).build());
    }

    @Test
    void postAnswers503Unavailable() throws Exception {
        assertUnavailable(HttpRequest.newBuilder(uri("/api/v1/x"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/a\"}")).build());
    }

    private static void assertUnavailable(HttpRequest request) throws Exception {
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body())
                .contains("\"code\":\"UNAVAILABLE\"")
                .contains("\"status\":503")
                .contains("\"title\":\"UNAVAILABLE\"")
                .contains("\"type\":\"https://camber.io/errors/unavailable\"")
                .contains("no MDS answered");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
