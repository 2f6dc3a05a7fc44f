package io.camber.chunk.web;

import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.registration.ChunkServerBootstrap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.List;

/** Health of this chunk server: UP once registered and serving its copysets, with how many it leads. */
@Component("chunkserver")
@ConditionalOnBean(ChunkServerBootstrap.class)
public class ChunkServerHealth implements HealthIndicator {
    private final ChunkServerBootstrap bootstrap;

    public ChunkServerHealth(ChunkServerBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public Health health() {
        CopysetServer copysets = bootstrap.copysets();
        if (copysets == null) {
            return Health.down().withDetail("reason", "not registered with the MDS yet").build();
        }
        List<CopysetServer.CopysetStatus> status = copysets.status();
        return Health.up().withDetail("chunkServerId", bootstrap.chunkServerId())
                .withDetail("copysets", status.size())
                .withDetail("leading", status.stream().filter(CopysetServer.CopysetStatus::leader).count())
                .build();
    }
}
