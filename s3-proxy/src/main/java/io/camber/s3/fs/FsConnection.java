package io.camber.s3.fs;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.fs.CamberFs;
import io.camber.client.mds.MdsAdminClient;
import io.camber.s3.S3ProxyProperties;
import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;

/**
 * The proxy's one mount of the bucket file system. It mounts on first use rather than at start, so the proxy comes
 * up before the cluster does; a failed mount is retried by the next request, which meanwhile gets ServiceUnavailable.
 */
@Component
public class FsConnection implements HealthIndicator, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FsConnection.class);

    private final S3ProxyProperties props;
    private final MdsAdminClient mds;
    private final ChunkClient chunks = new ChunkClient(256L << 20);
    private CompletableFuture<CamberFs> mount;
    private volatile String lastError = "not mounted yet";

    public FsConnection(S3ProxyProperties props) {
        this.props = props;
        this.mds = new MdsAdminClient(props.mdsEndpoints(), props.apiKey());
    }

    /** The mounted file system, mounting it if no mount is in place or the last attempt failed. */
    public synchronized CompletableFuture<CamberFs> fs() {
        if (mount == null || mount.isCompletedExceptionally()) {
            String client = "s3-proxy@" + ManagementFactory.getRuntimeMXBean().getName();
            mount = CamberFs.mount(mds, chunks, props.fileSystem(), CamberFs.Options.defaults(client))
                    .whenComplete((fs, e) -> {
                        if (e != null) {
                            lastError = String.valueOf(e.getCause() == null ? e : e.getCause());
                            LOG.warn("event=s3_mount_failed fs={} error={}", props.fileSystem(), lastError);
                        } else {
                            lastError = null;
                            LOG.info("event=s3_mounted fs={}", props.fileSystem());
                        }
                    });
        }
        return mount.exceptionally(e -> {
            throw new S3Exception(S3Error.SERVICE_UNAVAILABLE, "the file system '" + props.fileSystem()
                    + "' that holds the buckets cannot be mounted: " + lastError, e);
        });
    }

    /** Mounts in the background once the proxy is up, so the first request finds the mount ready. */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    public void mountWhenReady() {
        fs();
    }

    /** The MDS client the proxy also reads S3 secrets through. */
    public MdsAdminClient mds() {
        return mds;
    }

    @Override
    public Health health() {
        if (lastError != null) {
            fs(); // every health check retries a failed mount, so the proxy turns UP once the cluster can serve it
        }
        return lastError == null
                ? Health.up().withDetail("fileSystem", props.fileSystem()).build()
                : Health.down().withDetail("fileSystem", props.fileSystem()).withDetail("error", lastError).build();
    }

    @Override
    public synchronized void close() {
        if (mount != null && mount.isDone() && !mount.isCompletedExceptionally()) {
            mount.join().close();
        }
        chunks.close();
    }
}
