package io.camber.testkit;

import io.camber.testkit.AdminHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API of one real MDS: bad input gets 400 with a code, and the IO fence holds across a restart. */
class MdsApiIT {
    private static MiniCluster cluster;
    private static AdminHttp http;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).start();
        cluster.awaitLeader(Duration.ofSeconds(30));
        http = new AdminHttp(cluster.url());
        assertThat(http.post("/api/v1/topology/apply", Topologies.pool(3, 1, 30)).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/volumes", Map.of("path", "/fenced", "size", "2GiB")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON        | {\"path\":\"/x\",                                  | MALFORMED_REQUEST",
            "not an object         | [1,2]                                             | MALFORMED_REQUEST",
            "size of wrong type    | {\"path\":\"/x\",\"size\":{\"a\":1}}              | MALFORMED_REQUEST",
            "negative size         | {\"path\":\"/x\",\"size\":\"-1GiB\"}              | INVALID_ARGUMENT",
            "negative number size  | {\"path\":\"/x\",\"size\":-1073741824}            | INVALID_ARGUMENT",
            "zero size             | {\"path\":\"/x\",\"size\":\"0\"}                  | INVALID_ARGUMENT",
            "not a segment multiple| {\"path\":\"/x\",\"size\":\"1500MiB\"}           | INVALID_ARGUMENT",
            "unknown pool          | {\"path\":\"/x\",\"size\":\"1GiB\",\"pool\":\"nope\"} | INVALID_ARGUMENT",
            "dot-dot               | {\"path\":\"/a/../x\",\"size\":\"1GiB\"}          | INVALID_ARGUMENT",
            "NUL in name           | {\"path\":\"/a\\u0000b\",\"size\":\"1GiB\"}       | INVALID_ARGUMENT",
            "relative path         | {\"path\":\"x\",\"size\":\"1GiB\"}                | INVALID_ARGUMENT",
            "missing path          | {\"size\":\"1GiB\"}                               | INVALID_ARGUMENT",
    })
    void badVolumeRequestsGet400WithACode(String why, String body, String code) {
        Response r = http.post("/api/v1/volumes", body);
        assertThat(r.status()).as(why + ": " + r.raw()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(http.get("/api/v1/volumes/stat?path=/x").status()).isEqualTo(404);
    }

    @Test
    void otherBadInputIsRefusedCleanly() {
        assertThat(http.post("/api/v1/volumes/extend", Map.of("path", "/fenced", "size", "1GiB")).code())
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(http.post("/api/v1/volumes/segments", Map.of("path", "/fenced", "offset", -1)).code())
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(http.post("/api/v1/volumes/segments", Map.of("path", "/fenced", "offset", 2L << 30)).code())
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(http.post("/api/v1/sessions", Map.of("path", "/fenced", "mode", "SIDEWAYS")).code())
                .isEqualTo("MALFORMED_REQUEST");
        assertThat(http.post("/api/v1/sessions/not-a-session/renew", "").code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(http.get("/api/v1/volumes/stat?path=/nope").code()).isEqualTo("NOT_FOUND");
        assertThat(http.get("/api/v1/nothing-here").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/volumes/segments?path=/fenced&limit=0").code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(http.get("/api/v1/sessions?limit=1001").code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(http.get("/api/v1/sessions?after=not-a-session").code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(http.get("/api/v1/sessions?limit=1").status()).isEqualTo(200);
        Response topo = http.post("/api/v1/topology/apply", "{\"physicalPools\":[{\"name\":\"\"}]}");
        assertThat(topo.status()).isEqualTo(400);
        assertThat(topo.code()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void metricsAndOpenApiAreServed() {
        http.get("/api/v1/cluster/status");
        Response prometheus = http.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.raw()).contains("camber_mds_raft_commit_seconds_count", "camber_mds_raft_query_seconds_count",
                "camber_mds_rocksdb_live_data_bytes", "camber_mds_rocksdb_block_cache_bytes", "camber_mds_raft_term",
                "http_server_requests_seconds_count");
        Response health = http.get("/actuator/health");
        assertThat(health.body().at("/components/raft/details/role").asString()).isEqualTo("LEADER");
        Response api = http.get("/v3/api-docs");
        assertThat(api.body().at("/info/title").asString()).isEqualTo("Camber MDS admin API");
        assertThat(api.body().get("paths").has("/api/v1/volumes")).isTrue();
    }

    @Test
    void readWriteOpenFencesTheEarlierWriterAndEpochsSurviveRestart() {
        Response first = http.post("/api/v1/sessions", Map.of("path", "/fenced", "mode", "READ_WRITE", "client", "a"));
        long e1 = first.body().get("epoch").asLong();
        Response reader = http.post("/api/v1/sessions", Map.of("path", "/fenced", "mode", "READ_ONLY", "client", "r"));
        assertThat(reader.body().get("epoch").asLong()).as("read-only keeps the epoch").isEqualTo(e1);
        Response second = http.post("/api/v1/sessions", Map.of("path", "/fenced", "mode", "READ_WRITE", "client", "b"));
        long e2 = second.body().get("epoch").asLong();
        assertThat(e2).isGreaterThan(e1);

        Response fenced = http.post("/api/v1/sessions/" + first.body().get("sessionId").asString() + "/renew", "");
        assertThat(fenced.status()).isEqualTo(409);
        assertThat(fenced.code()).isEqualTo("FENCED");
        assertThat(http.delete("/api/v1/volumes?path=/fenced").code()).as("open read-write").isEqualTo("VOLUME_BUSY");

        long volumeId = second.body().get("volumeId").asLong();
        cluster.restart(cluster.mds().get(0));
        cluster.awaitLeader(Duration.ofSeconds(30));
        AdminHttp after = new AdminHttp(cluster.url());
        assertThat(after.get("/api/v1/epochs/" + volumeId).body().get("epoch").asLong()).isEqualTo(e2);
        Response third = after.post("/api/v1/sessions", Map.of("path", "/fenced", "mode", "READ_WRITE", "client", "c"));
        assertThat(third.body().get("epoch").asLong()).isGreaterThan(e2);
        Response renewSecond = after.post("/api/v1/sessions/" + second.body().get("sessionId").asString() + "/renew", "");
        assertThat(renewSecond.code()).isEqualTo("FENCED");
        http = after;
    }
}
