package io.camber.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The s3-proxy starts without a config server or a cluster, exposes health and Prometheus metrics, and refuses
 * unsigned S3 requests before it needs the cluster.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"spring.cloud.config.enabled=false",
        "camber.s3.mds=http://127.0.0.1:1", "management.endpoint.health.show-details=always"})
class S3ProxySmokeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Test
    void healthIsDownAndSaysWhyWhileTheBucketFileSystemCannotBeMounted() throws Exception {
        HttpResponse<String> answer = get("/actuator/health");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("\"status\":\"DOWN\"").contains("\"fileSystem\":\"demo\"");
    }

    @Test
    void anUnsignedRequestIsAccessDeniedAsAnS3ErrorDocument() throws Exception {
        HttpResponse<String> answer = get("/some-bucket/some-key");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("x-amz-request-id")).isPresent();
        assertThat(answer.body()).contains("<Code>AccessDenied</Code>").contains("<Resource>/some-bucket/some-key");
    }

    @Test
    void prometheusExportsJvmMetricsTaggedWithTheService() throws Exception {
        HttpResponse<String> answer = get("/actuator/prometheus");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("jvm_memory_used_bytes{").contains("application=\"s3-proxy\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
