package io.camber.mds.cluster;

import io.camber.common.api.ClusterHealth;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.topology.HeartbeatTracker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.function.ToDoubleFunction;

/**
 * The health verdict as Prometheus gauges, judged on each scrape from this MDS's heartbeats:
 * {@code camber_mds_cluster_health} (0 OK, 1 WARN, 2 ERR) and {@code camber_mds_copysets_health{state}}.
 */
@Component
public class HealthMetrics {

    public HealthMetrics(MdsReplication mds, HeartbeatTracker heartbeats, MeterRegistry registry) {
        ToDoubleFunction<Object> level = x -> switch (judge(mds, heartbeats).health()) {
            case "HEALTH_OK" -> 0;
            case "HEALTH_WARN" -> 1;
            default -> 2;
        };
        Gauge.builder("camber.mds.cluster.health", this, level)
                .description("cluster health as this MDS judges it: 0 OK, 1 WARN, 2 ERR").register(registry);
        gauge(registry, "HEALTHY", () -> judge(mds, heartbeats).copysetsHealthy());
        gauge(registry, "DEGRADED", () -> judge(mds, heartbeats).copysetsDegraded());
        gauge(registry, "UNAVAILABLE", () -> judge(mds, heartbeats).copysetsUnavailable());
    }

    private void gauge(MeterRegistry registry, String state, java.util.function.IntSupplier count) {
        Gauge.builder("camber.mds.copysets.health", this, x -> count.getAsInt()).tag("state", state)
                .description("copysets by state, from the chunk servers' heartbeats").register(registry);
    }

    private static ClusterHealth judge(MdsReplication mds, HeartbeatTracker heartbeats) {
        return HealthCheck.assess(mds.stateMachine().topology(), heartbeats::stateOf, heartbeats.latest(), 0);
    }
}
