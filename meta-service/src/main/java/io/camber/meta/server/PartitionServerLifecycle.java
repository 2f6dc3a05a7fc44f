package io.camber.meta.server;

import io.camber.meta.MetaServiceProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Starts this process's {@link PartitionServer} with the application and closes it on shutdown; partitions already
 * on disk resume at start, and those the MDS places here are added by the registration's heartbeats.
 */
@Component
@ConditionalOnProperty(name = "camber.meta.enabled", havingValue = "true", matchIfMissing = true)
public class PartitionServerLifecycle implements SmartLifecycle {
    private final MetaServiceProperties props;
    private final MeterRegistry metrics;
    private volatile PartitionServer server;

    public PartitionServerLifecycle(MetaServiceProperties props, MeterRegistry metrics) {
        this.props = props;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(props.dataDir());
            server = new PartitionServer(props.nodeId(), props.host(), props.raftPort(), props.dataDir(), props.raft(),
                    props.memoryPerPartition().toBytes(), metrics);
        } catch (IOException e) {
            throw new UncheckedIOException("meta-service cannot start its partition server on port "
                    + props.raftPort() + " with data in " + props.dataDir() + ": " + e.getMessage()
                    + " (free the port or set camber.meta.raft-port / camber.meta.data-dir)", e);
        }
        Gauge.builder("camber.meta.partitions", this, l -> l.server == null ? 0 : l.server.partitions().size())
                .description("partition replicas hosted by this process").register(metrics);
        Gauge.builder("camber.meta.partitions.leading", this, PartitionServerLifecycle::leading)
                .description("partitions this process leads (where their metadata commands are decided)")
                .register(metrics);
    }

    private long leading() {
        PartitionServer s = server;
        if (s == null) {
            return 0;
        }
        return s.partitions().stream()
                .filter(id -> s.division(id).map(d -> d.getInfo().isLeader()).orElse(false)).count();
    }

    /** The running partition server, or null before start and after stop. */
    public PartitionServer server() {
        return server;
    }

    @Override
    public void stop() {
        PartitionServer s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the partition server", e);
            }
        }
    }

    /** Before the registration with the MDS starts and after it stops (lower phases start first, stop last). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
