package io.camber.client.mds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failing over between MDS endpoints, against real HTTP servers on loopback. */
class MdsAdminClientTest {
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** An endpoint that answers every call with status and body, recording it under name. */
    private String endpoint(String name, AtomicInteger status, String body) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", x -> {
            calls.add(name + " " + x.getRequestMethod() + " " + x.getRequestURI().getPath());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status.get(), bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        });
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private static final String SESSION = "{\"sessionId\":\"7-00000000-0000-0000-0000-000000000001\","
            + "\"volumeId\":7,\"path\":\"/v\",\"mode\":\"READ_WRITE\",\"client\":\"c\",\"epoch\":3,"
            + "\"leaseMillis\":20000,\"expiresAtMillis\":1,\"fenced\":false}";

    @Test
    void aCallGoesToTheNextEndpointWhenOneIsDownOrAGatewayAnswers503AndSticksToTheOneThatAnswered()
            throws Exception {
        AtomicInteger gatewayStatus = new AtomicInteger(503);
        String gateway = endpoint("gateway", gatewayStatus, "{\"code\":\"UNAVAILABLE\",\"detail\":\"no route\"}");
        String mds = endpoint("mds", new AtomicInteger(200), SESSION);
        MdsAdminClient client = new MdsAdminClient(closedPort() + ", " + gateway + "," + mds + "/");

        client.resume("7-00000000-0000-0000-0000-000000000001", io.camber.common.api.OpenMode.READ_WRITE, 3, "c")
                .join();
        assertThat(calls).containsExactly("gateway POST /api/v1/sessions/7-00000000-0000-0000-0000-000000000001/resume",
                "mds POST /api/v1/sessions/7-00000000-0000-0000-0000-000000000001/resume");

        calls.clear();
        client.close("7-00000000-0000-0000-0000-000000000001").join();
        assertThat(calls).as("the endpoint that answered is tried first")
                .containsExactly("mds DELETE /api/v1/sessions/7-00000000-0000-0000-0000-000000000001");
    }

    @Test
    void anAnswerWithAnErrorCodeIsTheAnswerAndWhenNothingAnswersTheCallIsUnavailable() throws Exception {
        String mds = endpoint("mds", new AtomicInteger(404), "{\"code\":\"NOT_FOUND\",\"detail\":\"no /x\"}");
        MdsAdminClient client = new MdsAdminClient(mds + "," + closedPort());
        assertThatThrownBy(() -> client.stat("/x").join()).cause().isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(calls).hasSize(1);

        MdsAdminClient nowhere = new MdsAdminClient(closedPort() + "," + closedPort());
        assertThatThrownBy(() -> nowhere.stat("/x").join()).cause().isInstanceOfSatisfying(CamberException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("no MDS endpoint answered GET /api/v1/volumes/stat");
                });
        assertThatThrownBy(() -> new MdsAdminClient(" , ")).hasMessageContaining("no MDS endpoint");
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void anS3SecretIsEmptyFor404AndForAnIdThatCannotBeAKeyButOtherRefusalsStayErrors() throws Exception {
        String key = "CK0123456789ABCDEFGH";
        MdsAdminClient found = new MdsAdminClient(endpoint("found", new AtomicInteger(200), "{\"accessKey\":\"" + key
                + "\",\"secretKey\":\"" + "s".repeat(40) + "\",\"name\":\"backup\"}"));
        MdsAdminClient unknown = new MdsAdminClient(endpoint("unknown", new AtomicInteger(404),
                "{\"code\":\"NOT_FOUND\",\"detail\":\"no S3 access key\"}"));
        MdsAdminClient forbidden = new MdsAdminClient(endpoint("forbidden", new AtomicInteger(403),
                "{\"code\":\"FORBIDDEN\",\"detail\":\"role read-only may not\"}"));

        assertThat(found.s3Secret(key).join()).contains(
                new io.camber.common.api.S3KeySecret(key, "s".repeat(40), "backup"));
        assertThat(unknown.s3Secret(key).join()).isEmpty();
        assertThatThrownBy(() -> forbidden.s3Secret(key).join()).cause().isInstanceOfSatisfying(
                CamberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(calls).containsExactly("found GET /api/v1/s3/keys/" + key + "/secret",
                "unknown GET /api/v1/s3/keys/" + key + "/secret", "forbidden GET /api/v1/s3/keys/" + key + "/secret");

        assertThat(found.s3Secret("../../auth/keys").join()).isEmpty();
        assertThat(found.s3Secret(null).join()).isEmpty();
        assertThat(calls).as("no call for ids that are no keys").hasSize(3);
    }
}
