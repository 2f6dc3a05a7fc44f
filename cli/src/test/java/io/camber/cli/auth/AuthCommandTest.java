package io.camber.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.camber.cli.CamberCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `camber auth ...` against a stub of the admin API: what it sends (key included) and what it prints. */
class AuthCommandTest {
    private static final String KEY = "camber_00000000000000a1_" + "ad".repeat(32);

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                + exchange.getRequestHeaders().getFirst("Authorization") + (body.isEmpty() ? "" : " " + body));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--endpoint=http://127.0.0.1:" + server.getAddress().getPort(), "--api-key=" + KEY))
                .toArray(String[]::new);
        int code = CamberCli.execute(new PrintWriter(out), new PrintWriter(err), all);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void createKeySendsRoleAndNameWithTheCallersKeyAndPrintsTheNewKeyOnce() {
        status = 201;
        answer = "{\"id\":\"9ebbee1318db32b4\",\"name\":\"grafana\",\"role\":\"read-only\",\"createdAtMillis\":1,"
                + "\"source\":\"stored\",\"key\":\"camber_9ebbee1318db32b4_" + "0".repeat(64) + "\"}";
        String[] r = run("auth", "create-key", "--role", "read-only", "--name", "grafana");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(requests).containsExactly("POST /api/v1/auth/keys Bearer " + KEY
                + " {\"role\":\"read-only\",\"name\":\"grafana\"}");
        assertThat(r[1]).contains("created read-only key 9ebbee1318db32b4 (grafana)")
                .contains("camber_9ebbee1318db32b4_" + "0".repeat(64));
    }

    @Test
    void lsPrintsATableWithoutSecretsAndRmDeletesById() {
        answer = "[{\"id\":\"00000000000000a1\",\"name\":\"admin (config)\",\"role\":\"admin\",\"createdAtMillis\":0,"
                + "\"source\":\"config\"},{\"id\":\"9ebbee1318db32b4\",\"name\":\"ci\",\"role\":\"service\","
                + "\"createdAtMillis\":1700000000000,\"source\":\"stored\"}]";
        String[] ls = run("auth", "ls");
        assertThat(ls[0]).as(ls[2]).isEqualTo("0");
        assertThat(ls[1]).contains("ID").contains("00000000000000a1").contains("config").contains("9ebbee1318db32b4")
                .contains("service").contains("2023-11-14T22:13:20Z");

        status = 204;
        String[] rm = run("auth", "rm", "9ebbee1318db32b4");
        assertThat(rm[0]).as(rm[2]).isEqualTo("0");
        assertThat(requests).last().isEqualTo("DELETE /api/v1/auth/keys/9ebbee1318db32b4 Bearer " + KEY);
        assertThat(rm[1]).contains("removed key 9ebbee1318db32b4");
    }

    @Test
    void aRefusedKeyIsReportedAsCodeAndDetail() {
        status = 401;
        answer = "{\"type\":\"https://camber.io/errors/unauthenticated\",\"title\":\"UNAUTHENTICATED\",\"status\":401,"
                + "\"code\":\"UNAUTHENTICATED\",\"detail\":\"API key 00000000000000a1 is unknown or was removed\"}";
        String[] r = run("volume", "ls", "/");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).startsWith("UNAUTHENTICATED: API key 00000000000000a1 is unknown");
    }
}
