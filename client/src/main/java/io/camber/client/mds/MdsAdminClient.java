package io.camber.client.mds;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.OpenMode;
import io.camber.common.api.OpenRequest;
import io.camber.common.api.SegmentInfo;
import io.camber.common.api.SegmentRequest;
import io.camber.common.api.SessionInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The client library's calls to the MDS admin API (directly or through the gateway), asynchronous. */
public final class MdsAdminClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public MdsAdminClient(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public CompletableFuture<EntryInfo> stat(String path) {
        return send(get("/api/v1/volumes/stat?path=" + q(path)), EntryInfo.class);
    }

    /** The entries of a directory. */
    public CompletableFuture<List<EntryInfo>> list(String dir) {
        return send(get("/api/v1/volumes?dir=" + q(dir)), EntryInfo[].class).thenApply(List::of);
    }

    public CompletableFuture<SessionInfo> open(String path, OpenMode mode, String client) {
        return send(post("/api/v1/sessions", new OpenRequest(path, mode, client)), SessionInfo.class);
    }

    public CompletableFuture<SessionInfo> renew(String sessionId) {
        return send(post("/api/v1/sessions/" + sessionId + "/renew", null), SessionInfo.class);
    }

    public CompletableFuture<Void> close(String sessionId) {
        return send(HttpRequest.newBuilder(uri("/api/v1/sessions/" + sessionId)).DELETE(), Void.class);
    }

    /** The segment holding offset, allocated on first touch. */
    /**
     * The segment of the volume with this id holding offset, allocated on first touch; NOT_FOUND once that volume
     * was deleted, even if another one took its path.
     */
    public CompletableFuture<SegmentInfo> segment(long volumeId, long offset) {
        return send(post("/api/v1/volumes/segments", new SegmentRequest(null, offset, volumeId)), SegmentInfo.class);
    }

    /** The segment holding offset if it is allocated; empty otherwise (reads of it are zeros). */
    public CompletableFuture<Optional<SegmentInfo>> findSegment(long volumeId, long offset) {
        // 204 No Content means "not allocated"; any error (404 included) stays an error, never a hole.
        return send(get("/api/v1/volumes/segments/at?volumeId=" + volumeId + "&offset=" + offset), SegmentInfo.class)
                .thenApply(Optional::ofNullable);
    }

    public CompletableFuture<List<CopysetInfo>> copysets(String pool) {
        return send(get("/api/v1/copysets?pool=" + q(pool)), CopysetInfo[].class).thenApply(List::of);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private HttpRequest.Builder post(String path, Object body) {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private <T> CompletableFuture<T> send(HttpRequest.Builder request, Class<T> type) {
        return http.sendAsync(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> {
                    if (r.statusCode() / 100 != 2) {
                        throw failure(r);
                    }
                    return type == Void.class || r.body().length == 0 ? null : JSON.readValue(r.body(), type);
                });
    }

    private static CamberException failure(HttpResponse<byte[]> r) {
        try {
            JsonNode error = JSON.readTree(r.body());
            return new CamberException(ErrorCode.valueOf(error.path("code").asString("INTERNAL")),
                    error.path("detail").asString("HTTP " + r.statusCode()));
        } catch (RuntimeException e) {
            return new CamberException(r.statusCode() >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                    "the MDS answered HTTP " + r.statusCode() + " for " + r.uri());
        }
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
