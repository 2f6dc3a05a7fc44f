package io.camber.chunk.registration;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.ChunkGarbage;
import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerInfo;
import io.camber.common.api.ChunkServerRegistration;
import io.camber.common.api.CopysetInfo;
import io.camber.common.api.CopysetRef;
import io.camber.common.api.TokenKeysInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The chunk server's calls to the MDS admin API: register, and heartbeat (which answers its copysets). */
public final class MdsClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final List<String> mdsUrls;
    private final String apiKey;

    /** apiKey: this chunk server's service key (camber.chunk.api-key), sent with every call; blank for none. */
    public MdsClient(List<String> mdsUrls, String apiKey) {
        this.mdsUrls = List.copyOf(mdsUrls);
        this.apiKey = apiKey == null ? "" : apiKey.strip();
    }

    /** The MDS's data-token keys, from the first MDS that answers. */
    public TokenKeysInfo tokenKeys() throws IOException {
        return first(url -> send(request(url + "/api/v1/auth/token-keys").GET().build(), TokenKeysInfo.class));
    }

    /** Registers with the first MDS that answers; a known host:port keeps its id. */
    public ChunkServerInfo register(ChunkServerRegistration registration) throws IOException {
        return first(url -> post(url + "/api/v1/chunkservers", registration, ChunkServerInfo.class));
    }

    /** Heartbeats every MDS (each keeps its own view); returns the copysets the first answer lists. */
    public List<CopysetInfo> heartbeat(ChunkServerHeartbeat heartbeat) throws IOException {
        List<CopysetInfo> copysets = null;
        IOException last = null;
        for (String url : mdsUrls) {
            try {
                CopysetInfo[] answer = post(url + "/api/v1/chunkservers/" + heartbeat.chunkServerId() + "/heartbeat",
                        heartbeat, CopysetInfo[].class);
                if (copysets == null) {
                    copysets = List.of(answer);
                }
            } catch (IOException e) {
                last = e;
            }
        }
        if (copysets == null) {
            throw last;
        }
        return copysets;
    }

    /** Every copyset as the first MDS that answers lists it (members, epoch). */
    public List<CopysetInfo> copysets() throws IOException {
        return first(url -> List.of(send(request(url + "/api/v1/copysets").GET().build(), CopysetInfo[].class)));
    }

    /** The copysets whose old replica here may be deleted (see the MDS's removable-copysets), from the first MDS. */
    public List<CopysetRef> removableCopysets(long chunkServerId) throws IOException {
        return first(url -> List.of(send(request(url + "/api/v1/chunkservers/" + chunkServerId
                + "/removable-copysets").GET().build(), CopysetRef[].class)));
    }

    /** At most limit chunks of deleted volumes on this server's copysets, from the first MDS that answers. */
    public List<ChunkGarbage> garbage(long chunkServerId, int limit) throws IOException {
        return first(url -> {
            HttpRequest request = request(url + "/api/v1/chunkservers/" + chunkServerId + "/garbage?limit="
                    + limit).GET().build();
            return List.of(send(request, ChunkGarbage[].class));
        });
    }

    /** Tells the MDS these garbage chunks are deleted, so it forgets them. */
    public void garbageDeleted(long chunkServerId, List<ChunkGarbage> deleted) throws IOException {
        first(url -> {
            post(url + "/api/v1/chunkservers/" + chunkServerId + "/garbage/deleted", deleted, JsonNode.class);
            return null;
        });
    }

    /** One call to the MDS at a base URL. */
    private interface AtMds<T> {
        T call(String url) throws IOException;
    }

    /**
     * The answer of the first MDS that answers, trying them in order; one that cannot be reached passes the call to
     * the next (an error status is an answer, thrown as is).
     */
    private <T> T first(AtMds<T> call) throws IOException {
        IOException last = null;
        for (String url : mdsUrls) {
            try {
                return call.call(url);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no MDS configured (camber.chunk.mds)");
    }

    private <T> T post(String url, Object body, Class<T> type) throws IOException {
        return send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(), type);
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        return apiKey.isEmpty() ? b : b.header("Authorization", "Bearer " + apiKey);
    }

    private <T> T send(HttpRequest request, Class<T> type) throws IOException {
        String url = request.uri().toString();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted calling " + url, e);
        }
        if (response.statusCode() / 100 != 2) {
            JsonNode error = JSON.readTree(response.body());
            String code = error.path("code").asString("INTERNAL");
            throw new CamberException(ErrorCode.valueOf(code), "MDS refused " + url + ": " + error.path("detail").asString());
        }
        return JSON.readValue(response.body(), type);
    }
}
