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
 * Starts this process's {@link PartitionServer} with the application and closes it on shutdown. Registration
 * with the MDS and partition placement come later; partitions already on disk resume at start.
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

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
