package io.camber.cli.nbd;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The NBD server's health and Prometheus metrics, at the same paths Spring Boot services use. */
final class StatusEndpoint implements AutoCloseable {
    private final HttpServer http;

    private StatusEndpoint(HttpServer http) {
        this.http = http;
    }

    /** Listens on preferred, or on a free port of its host when preferred is taken. */
    static StatusEndpoint startPreferring(InetSocketAddress preferred, PrometheusMeterRegistry registry) {
        try {
            return start(preferred, registry);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof java.net.BindException)) {
                throw e;
            }
            return start(new InetSocketAddress(preferred.getAddress(), 0), registry);
        }
    }

    /** host:port it listens on. */
    String address() {
        InetSocketAddress a = http.getAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    static StatusEndpoint start(InetSocketAddress address, PrometheusMeterRegistry registry) {
        try {
            HttpServer http = HttpServer.create(address, 16);
            http.createContext("/actuator/health", x -> send(x, "application/json", "{\"status\":\"UP\"}"));
            http.createContext("/actuator/prometheus", x -> send(x, "text/plain; version=0.0.4", registry.scrape()));
            http.start();
            return new StatusEndpoint(http);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + " for health and metrics", e);
        }
    }

    private static void send(HttpExchange x, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
