package io.camber.cli.http;

import io.camber.cli.CliFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Talks HTTP/JSON to the Camber admin API (through the gateway) and turns every failure into a {@link CliFailure}. */
public final class CamberClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final String apiKey;

    /** A client without a credential (only actuator and API docs will answer). */
    public CamberClient(URI endpoint, Duration timeout) {
        this(endpoint, timeout, null);
    }

    /** A client sending apiKey (camber_<id>_<secret>; null or blank for none) with every request. */
    public CamberClient(URI endpoint, Duration timeout, String apiKey) {
        this.apiKey = apiKey == null ? "" : apiKey.strip();
        this.endpoint = endpoint;
        this.timeout = timeout;
        // HTTP/1.1 only: the JDK's h2c upgrade attempt on plain http buys nothing for admin calls
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** GETs a path with optional query parameters (null values are left out) and returns the body. */
    public String get(String path, Map<String, String> query) {
        return send(request(path, query).GET());
    }

    /** POSTs a value as JSON and returns the answer's body. */
    public String post(String path, Map<String, String> query, Object body) {
        String json = Json.LENIENT.writeValueAsString(body);
        return send(request(path, query)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** DELETEs a path and returns the answer's body (usually empty). */
    public String delete(String path, Map<String, String> query) {
        return send(request(path, query).DELETE());
    }

    /** Convenience for a single query parameter. */
    public static Map<String, String> query(String name, String value) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put(name, value);
        return q;
    }

    private HttpRequest.Builder request(String path, Map<String, String> query) {
        StringJoiner qs = new StringJoiner("&", "?", "").setEmptyValue("");
        if (query != null) {
            query.forEach((k, v) -> {
                if (v != null) {
                    // %20, not +, for spaces: every server decodes that the same way
                    qs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
                }
            });
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + qs))
                .timeout(timeout)
                .header("Accept", "application/json");
        return apiKey.isEmpty() ? b : b.header("Authorization", "Bearer " + apiKey);
    }

    private String send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException | UnresolvedAddressException e) {
            throw unreachable(e);
        } catch (HttpTimeoutException e) {
            throw new CliFailure(CliFailure.UNREACHABLE, "Camber at " + endpoint + " did not answer within "
                    + timeout.toSeconds() + "s: check `./camber playground status` and the service logs");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw unreachable(e);
            }
            throw new CliFailure(CliFailure.UNREACHABLE, "talking to Camber at " + endpoint + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.UNREACHABLE, "interrupted while waiting for Camber at " + endpoint);
        }
        if (response.statusCode() / 100 != 2) {
            throw refused(response.statusCode(), response.body());
        }
        return response.body();
    }

    private CliFailure unreachable(Exception cause) {
        return new CliFailure(CliFailure.UNREACHABLE,
                "cannot reach Camber at " + endpoint + ": is the playground up? (./camber playground up)", cause);
    }

    /** Turns an error answer into "CODE: detail", falling back to the HTTP status when the body has no code. */
    static CliFailure refused(int status, String body) {
        JsonNode node = null;
        try {
            node = body == null || body.isBlank() ? null : Json.LENIENT.readTree(body);
        } catch (JacksonException notJson) {
            // a proxy or a crashed route answered with HTML or text: show it as it is
        }
        if (node != null && node.hasNonNull("code")) {
            String detail = node.hasNonNull("detail") ? node.get("detail").asString() : "(no detail)";
            return new CliFailure(CliFailure.REFUSED, node.get("code").asString() + ": " + detail);
        }
        String text = node != null && node.hasNonNull("error") ? node.get("error").asString()
                : body == null ? "" : body.strip();
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return new CliFailure(CliFailure.REFUSED, "HTTP " + status + (text.isEmpty() ? "" : ": " + text));
    }
}
