package io.camber.meta.registration;

import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.MetaServerHeartbeat;
import io.camber.common.api.MetaServerInfo;
import io.camber.common.api.MetaServerRegistration;
import io.camber.common.api.PartitionInfo;
import io.camber.meta.MetaServiceProperties;
import io.camber.meta.gc.SpaceCollector;
import io.camber.meta.server.PartitionServer;
import io.camber.meta.server.PartitionServerLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Joins this meta-service to the cluster: registers with the MDS (host, Raft and HTTP ports, zone, peer id), then
 * heartbeats every MDS with its partitions' roles and usage; each answer lists the partitions placed here, which
 * {@link PartitionAssignments} starts. Registration is retried from the heartbeat thread, so the process starts
 * (and serves partitions already on disk) while the MDS is still down.
 */
@Component
@ConditionalOnProperty(name = "camber.meta.enabled", havingValue = "true", matchIfMissing = true)
public class MetaServerBootstrap implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(MetaServerBootstrap.class);
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private final MetaServiceProperties props;
    private final PartitionServerLifecycle partitions;
    private final SpaceCollector gc;
    private final int httpPort;
    private final List<MdsAdminClient> mds;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metaserver-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile PartitionAssignments assignments;
    private volatile long metaServerId = -1;
    private volatile boolean running;

    public MetaServerBootstrap(MetaServiceProperties props, PartitionServerLifecycle partitions, SpaceCollector gc,
                               @Value("${server.port:8300}") int httpPort) {
        this.props = props;
        this.partitions = partitions;
        this.gc = gc;
        this.httpPort = httpPort;
        // One client per MDS: each MDS keeps its own view of heartbeats, so every one of them hears from us.
        this.mds = props.mds().stream().filter(u -> !u.isBlank()).map(u -> new MdsAdminClient(u, props.apiKey()))
                .toList();
    }

    @Override
    public void start() {
        running = true;
        if (mds.isEmpty()) {
            LOG.warn("event=metaserver_unregistered reason=no-mds-configured hint=set camber.meta.mds");
            return;
        }
        timer.scheduleWithFixedDelay(this::beat, 0, props.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        PartitionServer server = partitions.server();
        if (server == null) {
            return; // not started yet, or stopping
        }
        try {
            if (metaServerId < 0) {
                metaServerId = register();
                assignments = new PartitionAssignments(server, props.raft());
            }
            List<PartitionInfo> wanted = heartbeat(new MetaServerHeartbeat(metaServerId, assignments.reports()));
            assignments.apply(wanted);
            gc.placed(wanted);
        } catch (Exception e) {
            // The MDS may be starting or electing, or the topology not applied yet: the next beat tries again.
            LOG.warn("event=metaserver_heartbeat_failed id={} error={}", metaServerId, e.toString());
        }
    }

    private long register() throws Exception {
        MetaServerRegistration registration = new MetaServerRegistration(props.physicalPool(), props.zone(),
                props.serverName(), props.host(), props.raftPort(), httpPort, props.nodeId());
        Exception last = null;
        for (MdsAdminClient client : mds) {
            try {
                MetaServerInfo info = client.registerMetaServer(registration).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("event=metaserver_registered id={} peer={} raft={}:{} zone={} server={}", info.id(),
                        props.nodeId(), props.host(), props.raftPort(), props.zone(), props.serverName());
                return info.id();
            } catch (Exception e) {
                last = e;
            }
        }
        throw last;
    }

    /** Heartbeats every MDS; answers the partitions the first answer lists. */
    private List<PartitionInfo> heartbeat(MetaServerHeartbeat heartbeat) throws Exception {
        List<PartitionInfo> wanted = null;
        Exception last = null;
        for (MdsAdminClient client : mds) {
            try {
                List<PartitionInfo> answer = client.metaServerHeartbeat(heartbeat)
                        .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (wanted == null) {
                    wanted = answer;
                }
            } catch (Exception e) {
                last = e;
            }
        }
        if (wanted == null) {
            throw last;
        }
        return wanted;
    }

    /** The id the MDS gave this meta-service, or -1 before it registered. */
    public long metaServerId() {
        return metaServerId;
    }

    @Override
    public void stop() {
        running = false;
        timer.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
