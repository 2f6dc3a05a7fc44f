package io.camber.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway in front of two MDS instances, one of them down: every request still reaches the live
 * one with method, path, query and body intact, because a refused connection is retried on the next.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.cloud.config.enabled=false")
class GatewayRoutingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final FakeMds MDS = start();
    private static final FakeMds S3 = start();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void mdsInstances(DynamicPropertyRegistry registry) throws Exception {
        String dead = FakeMds.deadUri();
        registry.add("spring.cloud.discovery.client.simple.instances.mds[0].uri", () -> dead);
        registry.add("spring.cloud.discovery.client.simple.instances.mds[1].uri", MDS::uri);
        registry.add("spring.cloud.discovery.client.simple.instances.s3[0].uri", S3::uri);
    }

    @AfterAll
    static void stop() {
        MDS.close();
        S3.close();
    }

    @Test
    void postReachesTheLiveMdsWithPathAndBodyIntact() throws Exception {
        // round robin over [dead, live]: at least two of these four try the dead instance first
        for (int i = 0; i < 4; i++) {
            MDS.received().clear();
            String body = "{\"path\":\"/vol" + i + "\",\"size\":\"10GiB\",\"pool\":\"p1\",\"owner\":\"alice\"}";
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/x/volumes?dryRun=true&n=" + i))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"echo\":\"/api/v1/x/volumes\"}");
            assertThat(MDS.received()).containsExactly(new FakeMds.Received("POST",
                    "/api/v1/x/volumes?dryRun=true&n=" + i, body, "application/json"));
        }
    }

    @Test
    void getAndApiDocsAreRouted() throws Exception {
        for (String path : new String[] {"/api/v1/cluster/status", "/v3/api-docs", "/v3/api-docs/swagger-config"}) {
            MDS.received().clear();
            HttpResponse<String> answer = get(path);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(MDS.received()).extracting(FakeMds.Received::pathAndQuery).containsExactly(path);
        }
    }

    @Test
    void everyOtherPathIsS3AndReachesTheS3ProxyWithItsHostHeaderForSignatures() throws Exception {
        MDS.received().clear();
        S3.received().clear();
        S3.hosts().clear();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/bucket/dir/key.txt?partNumber=1"))
                .PUT(HttpRequest.BodyPublishers.ofString("object bytes")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> listing = get("/bucket?list-type=2&prefix=dir%2F");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(S3.received()).containsExactly(
                new FakeMds.Received("PUT", "/bucket/dir/key.txt?partNumber=1", "object bytes", null),
                new FakeMds.Received("GET", "/bucket?list-type=2&prefix=dir%2F", "", null));
        assertThat(S3.hosts()).containsOnly("127.0.0.1:" + port);
        assertThat(MDS.received()).isEmpty();
    }

    @Test
    void exposesHealthAndGatewayMetrics() throws Exception {
        get("/api/v1/cluster/status");

        assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/prometheus").body())
                .contains("spring_cloud_gateway_requests_seconds_count{")
                .contains("routeId=\"mds-admin-api\"")
                .contains("jvm_memory_used_bytes");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static FakeMds start() {
        try {
            return new FakeMds();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the fake MDS on loopback", e);
        }
    }
}
