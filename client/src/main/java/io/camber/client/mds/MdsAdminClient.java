package io.camber.client.mds;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.common.api.CreateFsRequest;
import io.camber.common.api.FsInfo;
import io.camber.common.api.MetaServerHeartbeat;
import io.camber.common.api.MetaServerInfo;
import io.camber.common.api.MetaServerRegistration;
import io.camber.common.api.PartitionInfo;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.OpenMode;
import io.camber.common.api.OpenRequest;
import io.camber.common.api.ResumeRequest;
import io.camber.common.api.SegmentInfo;
import io.camber.common.api.SegmentRequest;
import io.camber.common.api.SessionInfo;
import io.camber.common.api.CreateS3KeyRequest;
import io.camber.common.api.S3KeyCreated;
import io.camber.common.api.S3KeyInfo;
import io.camber.common.api.S3KeySecret;
import io.camber.common.auth.S3Credential;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client library's calls to the MDS admin API, asynchronous. It may know several endpoints (the gateway and
 * each MDS, comma-separated): a call that cannot reach one, times out or gets 502/503/504 from it goes to the
 * next, and the one that answered is tried first next time. So a writer keeps its session and allocates
 * segments while the gateway or one MDS is down. Every call here is safe to repeat on another endpoint.
 */
public final class MdsAdminClient {
    // Tolerant of answers from an MDS of another version: unknown fields are ignored, missing numbers read as 0.
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final List<String> endpoints;
    private final AtomicInteger preferred = new AtomicInteger();
    private final String apiKey;

    /** baseUrls: one URL or several separated by commas, tried in order; the API key from env CAMBER_API_KEY. */
    public MdsAdminClient(String baseUrls) {
        this(baseUrls, System.getenv("CAMBER_API_KEY"));
    }

    /** baseUrls as above; apiKey (camber_<id>_<secret>, null or blank for none) goes with every call. */
    public MdsAdminClient(String baseUrls, String apiKey) {
        this.apiKey = apiKey == null ? "" : apiKey.strip();
        List<String> urls = new java.util.ArrayList<>();
        for (String url : baseUrls.split(",")) {
            String u = url.strip();
            if (!u.isEmpty()) {
                urls.add(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no MDS endpoint given: pass a URL such as http://127.0.0.1:8080");
        }
        this.endpoints = List.copyOf(urls);
    }

    /** The endpoints, in the order first tried. */
    public List<String> endpoints() {
        return endpoints;
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

    /** Takes back an expired session with its epoch; FENCED if another writer opened the volume since. */
    public CompletableFuture<SessionInfo> resume(String sessionId, OpenMode mode, long epoch, String client) {
        return send(post("/api/v1/sessions/" + sessionId + "/resume", new ResumeRequest(mode, epoch, client)),
                SessionInfo.class);
    }

    public CompletableFuture<Void> close(String sessionId) {
        return send(new Call("DELETE", "/api/v1/sessions/" + sessionId, null), Void.class);
    }

    /**
     * The segment of the volume with this id holding offset, allocated on first touch; NOT_FOUND once that volume
     * was deleted, even if another one took its path. A writer passes its epoch (null otherwise): FENCED once
     * another writer opened the volume.
     */
    public CompletableFuture<SegmentInfo> segment(long volumeId, long offset, Long epoch) {
        return send(post("/api/v1/volumes/segments", new SegmentRequest(null, offset, volumeId, epoch)),
                SegmentInfo.class);
    }

    /** The segment holding offset if it is allocated; empty otherwise (reads of it are zeros). Epoch as above. */
    public CompletableFuture<Optional<SegmentInfo>> findSegment(long volumeId, long offset, Long epoch) {
        // 204 No Content means "not allocated"; any error (404 included) stays an error, never a hole.
        return send(get("/api/v1/volumes/segments/at?volumeId=" + volumeId + "&offset=" + offset
                + (epoch == null ? "" : "&epoch=" + epoch)), SegmentInfo.class).thenApply(Optional::ofNullable);
    }

    /** One page of a volume's allocated segments, after the segment holding offset after (null: from the start). */
    public CompletableFuture<List<SegmentInfo>> segments(String path, Long after, int limit) {
        return send(get("/api/v1/volumes/segments?path=" + q(path) + (after == null ? "" : "&after=" + after)
                + "&limit=" + limit), SegmentInfo[].class).thenApply(List::of);
    }

    /** A cluster data token (any volume; admin keys only), for tools that address chunks directly. */
    public CompletableFuture<String> clusterDataToken() {
        return send(post("/api/v1/auth/data-tokens", java.util.Map.of()), JsonNode.class)
                .thenApply(n -> n.path("token").asString());
    }

    public CompletableFuture<List<CopysetInfo>> copysets(String pool) {
        return send(get("/api/v1/copysets?pool=" + q(pool)), CopysetInfo[].class).thenApply(List::of);
    }

    /** Creates a file system; pool and partitions may be null for the MDS's defaults. */
    public CompletableFuture<FsInfo> createFs(String name, String pool, Integer partitions) {
        return send(post("/api/v1/fs", new CreateFsRequest(name, pool, partitions)), FsInfo.class);
    }

    /** Every file system with its partitions. */
    public CompletableFuture<List<FsInfo>> listFs() {
        return send(get("/api/v1/fs"), FsInfo[].class).thenApply(List::of);
    }

    /** One file system with its partitions, their members, addresses and reported leaders. */
    public CompletableFuture<FsInfo> describeFs(String name) {
        return send(get("/api/v1/fs/" + segment(name)), FsInfo.class);
    }

    /** Deletes a file system; without force only an empty one whose partitions all reported. */
    public CompletableFuture<Void> deleteFs(String name, boolean force) {
        return send(new Call("DELETE", "/api/v1/fs/" + segment(name) + "?force=" + force, null), Void.class);
    }

    /** Asks for a partition after {@code fullPartition} ran out of inode ids; answers the grown file system. */
    public CompletableFuture<FsInfo> addFsPartition(String name, int fullPartition) {
        return send(post("/api/v1/fs/" + segment(name) + "/partitions?full=" + fullPartition, null), FsInfo.class);
    }

    /** Registers a meta-service; a known host:raftPort keeps its id. */
    public CompletableFuture<MetaServerInfo> registerMetaServer(MetaServerRegistration registration) {
        return send(post("/api/v1/metaservers", registration), MetaServerInfo.class);
    }

    /** A meta-service's heartbeat; answers the partitions it must host. */
    public CompletableFuture<List<PartitionInfo>> metaServerHeartbeat(MetaServerHeartbeat heartbeat) {
        return send(post("/api/v1/metaservers/" + heartbeat.metaServerId() + "/heartbeat", heartbeat),
                PartitionInfo[].class).thenApply(List::of);
    }

    /** Every meta-service with its liveness. */
    public CompletableFuture<List<MetaServerInfo>> metaServers() {
        return send(get("/api/v1/metaservers"), MetaServerInfo[].class).thenApply(List::of);
    }

    /** Creates an S3 access key (admin key); the answer is the only time its secret is shown. name may be null. */
    public CompletableFuture<S3KeyCreated> createS3Key(String name) {
        return send(post("/api/v1/s3/keys", new CreateS3KeyRequest(name)), S3KeyCreated.class);
    }

    /** Every S3 access key, oldest first, never their secrets. */
    public CompletableFuture<List<S3KeyInfo>> listS3Keys() {
        return send(get("/api/v1/s3/keys"), S3KeyInfo[].class).thenApply(List::of);
    }

    /** Revokes an S3 access key (admin key); NOT_FOUND for an unknown one. */
    public CompletableFuture<Void> deleteS3Key(String accessKey) {
        return send(new Call("DELETE", "/api/v1/s3/keys/" + segment(accessKey), null), Void.class);
    }

    /**
     * An S3 access key with its secret, for verifying Signature V4 (service or admin key); empty when the MDS knows
     * no such key. An id that cannot be a Camber access key is empty without a call: it comes from a request's
     * Authorization header, so it is never put into a URL unchecked.
     */
    public CompletableFuture<Optional<S3KeySecret>> s3Secret(String accessKey) {
        if (!S3Credential.isAccessKey(accessKey)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return send(get("/api/v1/s3/keys/" + accessKey + "/secret"), S3KeySecret.class)
                .handle((secret, e) -> {
                    if (e == null) {
                        return Optional.ofNullable(secret);
                    }
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof CamberException c && c.code() == ErrorCode.NOT_FOUND) {
                        return Optional.empty();
                    }
                    throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
                });
    }

    /** One request, to be built against whichever endpoint is tried. */
    private record Call(String method, String path, byte[] body) {
        HttpRequest build(String base, String apiKey) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
            if (!apiKey.isEmpty()) {
                b.header("Authorization", "Bearer " + apiKey);
            }
            if (body == null) {
                return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
            }
            return b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }
    }

    private static Call get(String path) {
        return new Call("GET", path, null);
    }

    private static Call post(String path, Object body) {
        return new Call("POST", path, body == null ? new byte[0] : JSON.writeValueAsBytes(body));
    }

    private <T> CompletableFuture<T> send(Call call, Class<T> type) {
        int first = preferred.get();
        return attempt(call, first, 0, new StringBuilder()).thenApply(r -> {
            if (r.statusCode() / 100 != 2) {
                throw failure(r);
            }
            return type == Void.class || r.body().length == 0 ? null : JSON.readValue(r.body(), type);
        });
    }

    /** Tries endpoint (first + tried) and, when it cannot serve, the following ones (see attempts). */
    private CompletableFuture<HttpResponse<byte[]>> attempt(Call call, int first, int tried, StringBuilder why) {
        int index = (first + tried) % endpoints.size();
        String base = endpoints.get(index);
        return http.sendAsync(call.build(base, apiKey), HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
            boolean unreachable = e != null || r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504;
            if (!unreachable) {
                preferred.set(index);
                return CompletableFuture.completedFuture(r);
            }
            why.append(why.length() == 0 ? "" : "; ").append(base).append(": ")
                    .append(e != null ? rootMessage(e) : "HTTP " + r.statusCode());
            if (tried + 1 < attempts(call)) {
                return attempt(call, first, tried + 1, why);
            }
            if (e == null) {
                return CompletableFuture.completedFuture(r); // the last endpoint's own answer, with its error code
            }
            return CompletableFuture.<HttpResponse<byte[]>>failedFuture(new CamberException(ErrorCode.UNAVAILABLE,
                    "no MDS endpoint answered " + call.method() + " " + call.path() + " (" + why + ")"));
        }).thenCompose(f -> f);
    }

    /**
     * Every endpoint once; a GET, which changes nothing, twice round: one stalled answer (a pause of the MDS, a
     * connection dropped in flight) is retried rather than failing the caller.
     */
    private int attempts(Call call) {
        return call.method().equals("GET") ? 2 * endpoints.size() : endpoints.size();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
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

    private static String segment(String value) {
        return q(value).replace("+", "%20");
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
