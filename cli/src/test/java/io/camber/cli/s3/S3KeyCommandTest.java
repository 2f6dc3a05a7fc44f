package io.camber.cli.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.camber.cli.CamberCli;
import io.camber.cli.CliFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `camber s3 key ...` against a stub of the admin API: what it sends and what it prints, as table and as JSON. */
class S3KeyCommandTest {
    private static final String KEY = "camber_00000000000000a1_" + "ad".repeat(32);
    private static final String ACCESS = "CK0123456789ABCDEFGH";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

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

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(args), Stream.of(
                "--endpoint=http://127.0.0.1:" + server.getAddress().getPort(), "--api-key=" + KEY))
                .toArray(String[]::new);
        int code = CamberCli.execute(new PrintWriter(out), new PrintWriter(err), all);
        return new Result(code, out.toString(), err.toString());
    }

    private static final String CREATED = "{\"accessKey\":\"" + ACCESS + "\",\"secretKey\":\"" + SECRET + "\","
            + "\"name\":\"backup\",\"createdAt\":\"2025-01-02T03:04:05.678Z\"}";

    @Test
    void createSendsTheNameAndPrintsBothKeysOnceSayingSo() {
        status = 201;
        answer = CREATED;
        Result r = run("s3", "key", "create", "backup");
        assertThat(r.code).as(r.err).isZero();
        assertThat(requests).containsExactly("POST /api/v1/s3/keys Bearer " + KEY + " {\"name\":\"backup\"}");
        assertThat(r.out).isEqualTo("created S3 access key " + ACCESS + " (backup)\n"
                + "access key: " + ACCESS + "\n"
                + "secret key: " + SECRET + "\n"
                + "the secret key is shown only now: keep it with the access key in your S3 client's"
                + " configuration\n");
    }

    @Test
    void createWithoutANameSendsNoneAndJsonPrintsTheAnswerAsIs() {
        status = 201;
        answer = CREATED;
        Result r = run("s3", "key", "create", "--json");
        assertThat(r.code).as(r.err).isZero();
        assertThat(requests).containsExactly("POST /api/v1/s3/keys Bearer " + KEY + " {\"name\":null}");
        assertThat(r.out).isEqualTo(CREATED + "\n");
    }

    @Test
    void lsPrintsATableWithoutSecretsOrTheJsonAndRmRevokesById() {
        answer = "[{\"accessKey\":\"" + ACCESS + "\",\"name\":\"backup\",\"createdAt\":\"2025-01-02T03:04:05.678Z\"},"
                + "{\"accessKey\":\"CK99999999999999999Z\",\"name\":\"\",\"createdAt\":\"2025-01-03T00:00:00Z\"}]";
        Result ls = run("s3", "key", "ls");
        assertThat(ls.code).as(ls.err).isZero();
        List<String> lines = ls.out.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ACCESS KEY").contains("NAME", "CREATED");
        assertThat(lines.get(1)).startsWith(ACCESS).contains("backup", "2025-01-02T03:04:05.678Z");
        assertThat(lines.get(2)).startsWith("CK99999999999999999Z").contains(" - ", "2025-01-03T00:00:00Z");
        assertThat(run("s3", "key", "ls", "--json").out).isEqualTo(answer + "\n");

        status = 204;
        Result rm = run("s3", "key", "rm", ACCESS);
        assertThat(rm.code).as(rm.err).isZero();
        assertThat(requests).last().isEqualTo("DELETE /api/v1/s3/keys/" + ACCESS + " Bearer " + KEY);
        assertThat(rm.out).isEqualTo("revoked S3 access key " + ACCESS + "\n");
    }

    @Test
    void rmOfAnUnknownKeyIsTheServersRefusalAndOfAMalformedOneAUsageError() {
        status = 404;
        answer = "{\"code\":\"NOT_FOUND\",\"detail\":\"no S3 access key CK99999999999999999Z\"}";
        Result unknown = run("s3", "key", "rm", "CK99999999999999999Z");
        assertThat(unknown.code).isEqualTo(CliFailure.REFUSED);
        assertThat(unknown.err).isEqualTo("NOT_FOUND: no S3 access key CK99999999999999999Z\n");

        requests.clear();
        Result malformed = run("s3", "key", "rm", "../auth/keys");
        assertThat(malformed.code).isEqualTo(CliFailure.USAGE);
        assertThat(malformed.err).contains("is not a Camber S3 access key");
        assertThat(requests).isEmpty();
    }

    private record Result(int code, String out, String err) {
    }
}
