package io.camber.cli.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.camber.cli.CamberCli;
import io.camber.cli.CliFailure;
import io.camber.common.ErrorBody;
import io.camber.common.ErrorCode;
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
import tools.jackson.databind.json.JsonMapper;

/** {@code camber fs ...} in-process against a JDK HttpServer standing in for the gateway. */
class FsCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEMO = "{\"id\":3,\"name\":\"demo\",\"pool\":\"pool1\",\"createdAtMillis\":0,"
            + "\"inodesUsed\":1,\"partitions\":[{\"fsId\":3,\"partitionId\":0,\"start\":1,\"end\":1048577,"
            + "\"metaServers\":[7,8,9],\"peerIds\":[\"meta1\",\"meta2\",\"meta3\"],\"addresses\":[\"127.0.0.1:8311\","
            + "\"127.0.0.1:8312\",\"127.0.0.1:8313\"],\"leader\":\"meta2\",\"inodesUsed\":1,\"nextIno\":2},"
            + "{\"fsId\":3,\"partitionId\":1,\"start\":1048577,\"end\":2097153,\"metaServers\":[7,8,9],"
            + "\"peerIds\":[\"meta1\",\"meta2\",\"meta3\"],\"addresses\":[\"127.0.0.1:8311\",\"127.0.0.1:8312\","
            + "\"127.0.0.1:8313\"],\"leader\":null,\"inodesUsed\":-1,\"nextIno\":-1}]}";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";

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
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())
                + (body.isEmpty() ? "" : " " + body));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Test
    void createSendsNamePoolAndPartitionsAndPrintsThePartitions() throws Exception {
        status = 201;
        answer = DEMO;

        Result r = run("fs", "create", "demo", "--pool", "pool1", "--partitions", "2");

        assertThat(r.code).as(r.err).isZero();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).startsWith("POST /api/v1/fs ");
        assertThat(JSON.readTree(requests.get(0).substring("POST /api/v1/fs ".length())).toString())
                .isEqualTo("{\"name\":\"demo\",\"pool\":\"pool1\",\"partitions\":2}");
        List<String> lines = r.out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("created file system demo");
        assertThat(r.out).contains("pool:", "pool1", "inodes:", "partitions:    2");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("0", "[1, 1048577)", "meta2",
                "meta1@127.0.0.1:8311,meta2@127.0.0.1:8312,meta3@127.0.0.1:8313"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("1", "[1048577, 2097153)", "-"));
    }

    @Test
    void lsPrintsOneLinePerFileSystemAndJsonVerbatim() {
        answer = "[" + DEMO + "]";

        Result table = run("fs", "ls");
        Result json = run("fs", "ls", "--json");

        assertThat(table.out.lines().toList().get(0)).startsWith("NAME").contains("POOL", "PARTITIONS", "INODES");
        assertThat(table.out.lines().toList().get(1)).startsWith("demo").contains("pool1", "2", "1");
        assertThat(json.out).isEqualTo(answer + "\n");
        assertThat(requests).containsExactly("GET /api/v1/fs", "GET /api/v1/fs");
    }

    @Test
    void infoAndRmNameTheFileSystemInThePathAndRmPassesForce() {
        answer = DEMO;
        assertThat(run("fs", "info", "demo").code).isZero();
        status = 204;
        Result rm = run("fs", "rm", "demo");
        Result forced = run("fs", "rm", "my fs", "--force");

        assertThat(rm.out).isEqualTo("removed file system demo\n");
        assertThat(forced.code).isZero();
        assertThat(requests).containsExactly("GET /api/v1/fs/demo", "DELETE /api/v1/fs/demo",
                "DELETE /api/v1/fs/my%20fs?force=true");
    }

    @Test
    void aRefusedDeleteIsPrintedAsCodeAndDetail() {
        status = 409;
        answer = JSON.writeValueAsString(ErrorBody.of(ErrorCode.DATA_LOSS_REFUSED,
                "file system 'demo' is not empty (4 files and directories besides the root)"));

        Result r = run("fs", "rm", "demo");

        assertThat(r.code).isEqualTo(CliFailure.REFUSED);
        assertThat(r.err).startsWith("DATA_LOSS_REFUSED: file system 'demo' is not empty");
    }

    @Test
    void metaServersAreListedWithZoneAndState() {
        answer = "[{\"id\":7,\"physicalPool\":\"pool1\",\"zone\":\"zone1\",\"server\":\"server1\",\"host\":\"127.0.0.1\","
                + "\"raftPort\":8311,\"httpPort\":8301,\"peerId\":\"meta1\",\"state\":\"ONLINE\",\"partitions\":2}]";

        Result r = run("fs", "metaservers");

        assertThat(r.out.lines().toList().get(1)).contains("meta1", "zone1", "127.0.0.1:8311", "ONLINE", "2");
        assertThat(requests).containsExactly("GET /api/v1/metaservers");
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--endpoint=http://127.0.0.1:" + server.getAddress().getPort()))
                .toArray(String[]::new);
        int code = CamberCli.execute(new PrintWriter(out), new PrintWriter(err), all);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
