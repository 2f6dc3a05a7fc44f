package io.camber.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.camber.common.ErrorBody;
import io.camber.common.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Runs the CLI in-process against a JDK HttpServer standing in for the gateway. */
class CamberCliHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";
    private volatile String contentType = "application/json";

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                + (exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery()) + (body.isEmpty() ? "" : " " + body));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Test
    void aServerErrorIsPrintedAsCodeAndDetailWithoutAStackTrace() {
        status = 409;
        answer = JSON.writeValueAsString(ErrorBody.of(ErrorCode.ALREADY_EXISTS,
                "/demo/vol1 already exists: pick another name or remove it first"));

        Result r = run("volume", "create", "/demo/vol1", "--size", "10GiB");

        assertThat(r.code).isEqualTo(CliFailure.REFUSED);
        assertThat(r.err).isEqualTo("ALREADY_EXISTS: /demo/vol1 already exists: pick another name or remove it first\n");
        assertThat(r.out).isEmpty();
    }

    @Test
    void createSendsTheSizeAsWrittenAndANegativeSizeComesBackAsInvalidArgument() throws Exception {
        status = 400;
        answer = JSON.writeValueAsString(ErrorBody.of(ErrorCode.INVALID_ARGUMENT, "size '-5' is not a size"));

        Result r = run("volume", "create", "/demo/vol1", "--size", "-5", "--owner", "alice", "--pool", "pool1");

        assertThat(r.code).isNotZero();
        assertThat(r.err).startsWith("INVALID_ARGUMENT: size '-5' is not a size");
        assertThat(requests).hasSize(1);
        String request = requests.get(0);
        assertThat(request).startsWith("POST /api/v1/volumes {");
        var sent = JSON.readTree(request.substring(request.indexOf('{')));
        assertThat(sent.get("path").asString()).isEqualTo("/demo/vol1");
        assertThat(sent.get("size").asString()).isEqualTo("-5");
        assertThat(sent.get("pool").asString()).isEqualTo("pool1");
        assertThat(sent.get("owner").asString()).isEqualTo("alice");
    }

    @Test
    void anErrorWithoutACodeShowsTheHttpStatusAndText() {
        status = 502;
        contentType = "text/html";
        answer = "Bad Gateway";

        Result r = run("cluster", "status");

        assertThat(r.code).isEqualTo(CliFailure.REFUSED);
        assertThat(r.err).isEqualTo("HTTP 502: Bad Gateway\n");
    }

    @Test
    void anUnreachableEndpointSuggestsStartingThePlayground() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        Result r = runAt(url, "volume", "ls", "/");

        assertThat(r.code).isEqualTo(CliFailure.UNREACHABLE);
        assertThat(r.err).isEqualTo("cannot reach Camber at " + url
                + ": is the playground up? (./camber playground up)\n");
    }

    @Test
    void lsPrintsATableAndJsonPrintsTheServersAnswerVerbatim() {
        answer = "[{\"id\":5,\"path\":\"/demo/vol1\",\"type\":\"VOLUME\",\"owner\":\"alice\",\"size\":10737418240,"
                + "\"pool\":\"pool1\",\"chunkSize\":16777216,\"segmentSize\":1073741824,\"epoch\":0,"
                + "\"createdAtMillis\":0,\"someFutureField\":true}]";

        Result table = run("volume", "ls", "/demo");
        Result json = run("volume", "ls", "/demo", "--json");

        assertThat(table.code).isZero();
        assertThat(table.out.lines().toList().get(1)).startsWith("vol1").contains("10GiB", "pool1", "alice");
        assertThat(json.out).isEqualTo(answer + "\n");
        assertThat(requests).containsExactly("GET /api/v1/volumes?dir=/demo", "GET /api/v1/volumes?dir=/demo");
    }

    @Test
    void removeSendsDeleteWithTheEncodedPath() {
        status = 204;

        Result r = run("volume", "rm", "/demo/my vol");

        assertThat(r.code).isZero();
        assertThat(r.out).isEqualTo("removed /demo/my vol\n");
        assertThat(requests).containsExactly("DELETE /api/v1/volumes?path=/demo/my vol");
    }

    @Test
    void topologyApplyConvertsTheFileAndPassesDryRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("cluster.yaml");
        java.nio.file.Files.writeString(file, io.camber.cli.topology.TopologyFileTest.CLUSTER_YAML);
        answer = "{\"applied\":false,\"changes\":[\"add physical pool pool1\",\"add zone pool1/zone1\"]}";

        Result r = run("topology", "apply", "-f", file.toString(), "--dry-run");

        assertThat(r.code).isZero();
        assertThat(r.out).isEqualTo("dry run, would apply 2 change(s):\n  add physical pool pool1\n"
                + "  add zone pool1/zone1\n");
        String request = requests.get(0);
        assertThat(request).startsWith("POST /api/v1/topology/apply?dryRun=true {");
        var sent = JSON.readTree(request.substring(request.indexOf('{')));
        assertThat(sent.at("/physicalPools/0/zones/0/servers/0/chunkServers/1/disk").asString()).isEqualTo("/data/disk2");
        assertThat(sent.at("/logicalPools/0/chunkSize").asString()).isEqualTo("16MiB");
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        Result r = run("volume");

        assertThat(r.code).isEqualTo(CliFailure.USAGE);
        assertThat(r.err).contains("Missing required subcommand").contains("create");
    }

    private Result run(String... args) {
        return runAt("http://127.0.0.1:" + server.getAddress().getPort(), args);
    }

    private static Result runAt(String endpoint, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoint=" + endpoint);
        if (args.length == 1) {
            all.remove(all.size() - 1); // a bare group takes no options
        }
        int code = CamberCli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
