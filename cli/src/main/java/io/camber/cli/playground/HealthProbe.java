package io.camber.cli.playground;

import io.camber.cli.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** Reads a service's {@code /actuator/health} status: UP, DOWN, OUT_OF_SERVICE, UNKNOWN or UNREACHABLE. */
public final class HealthProbe {

    public static final String UP = "UP";
    public static final String UNREACHABLE = "UNREACHABLE";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final Duration timeout;

    public HealthProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** The status of one service (a 503 from actuator still carries a DOWN status in its body). */
    public CompletableFuture<String> check(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(HealthProbe::status)
                .exceptionally(e -> UNREACHABLE);
    }

    /** Checks many ports concurrently, answering in the same order. */
    public List<String> checkAll(List<Integer> ports) {
        List<CompletableFuture<String>> checks = ports.stream().map(this::check).toList();
        return checks.stream().map(CompletableFuture::join).toList();
    }

    static String status(HttpResponse<String> response) {
        try {
            JsonNode node = Json.LENIENT.readTree(response.body());
            if (node != null && node.hasNonNull("status")) {
                return node.get("status").asString();
            }
        } catch (RuntimeException notJson) {
            // something else listens on the port
        }
        return "HTTP_" + response.statusCode();
    }
}
