package io.camber.cli.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A second NBD server on a host must start without choosing its health port by hand. */
class StatusEndpointTest {

    @Test
    void aTakenDefaultPortIsTradedForAFreeOneAndAnExplicitOneIsNot() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress busy = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            StatusEndpoint status = StatusEndpoint.startPreferring(busy, registry);
            try {
                assertThat(status.address()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:" + taken.getLocalPort());
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + status.address() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).contains("UP");
            } finally {
                status.close();
            }
            assertThatThrownBy(() -> StatusEndpoint.start(busy, registry))
                    .hasMessageContaining("cannot listen on");
        }
    }
}
