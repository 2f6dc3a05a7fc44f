package io.camber.cli.playground;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Stands in for a Camber service in playground tests: answers UP on /actuator/health on its --server.port, records
 * its arguments and any applied topology in its working directory. JDK classes only, so a manifest-only jar runs it.
 */
public final class FakeService {

    public static void main(String[] args) throws IOException {
        if (System.getProperty("fake.exit") != null) {
            System.out.println("fake service exiting as asked");
            System.exit(3);
        }
        // Spring services take --server.port=N; the NBD server (the CLI) takes --http=HOST:N.
        int port = Arrays.stream(args).filter(a -> a.startsWith("--server.port=") || a.startsWith("--http="))
                .map(a -> Integer.parseInt(a.substring(a.lastIndexOf(a.startsWith("--http=") ? ':' : '=') + 1)))
                .findFirst().orElseThrow();
        Files.writeString(Path.of("args.txt"), String.join("\n", args) + "\n");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/actuator/health", ex -> respond(ex, "{\"status\":\"UP\"}"));
        server.createContext("/api/v1/topology/apply", ex -> {
            Files.write(Path.of("topology-applied.json"), ex.getRequestBody().readAllBytes());
            respond(ex, "{\"applied\":true,\"changes\":[\"add physical pool pool1\",\"add logical pool pool1\"]}");
        });
        server.createContext("/api/v1/volumes", ex -> respond(ex, "{\"path\":\"/nbd-demo\",\"type\":\"VOLUME\"}"));
        server.createContext("/api/v1/fs", ex -> respond(ex, "{\"id\":1,\"name\":\"demo\",\"pool\":\"pool1\","
                + "\"inodesUsed\":1,\"partitions\":[{\"fsId\":1,\"partitionId\":0,\"start\":1,\"end\":1048577,"
                + "\"metaServers\":[1],\"peerIds\":[\"meta1\"],\"addresses\":[\"127.0.0.1:8311\"],"
                + "\"leader\":\"meta1\",\"inodesUsed\":1,\"nextIno\":2}]}"));
        server.createContext("/api/v1/s3/keys", ex -> respond(ex, "{\"accessKey\":\"CKFAKE00000000000000\","
                + "\"secretKey\":\"fake-secret\",\"name\":\"playground\",\"createdAt\":\"2026-01-01T00:00:00Z\"}"));
        server.start();
        System.out.println("fake service listening on " + port);
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
