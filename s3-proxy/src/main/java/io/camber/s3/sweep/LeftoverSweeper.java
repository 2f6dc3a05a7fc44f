package io.camber.s3.sweep;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.FsError;
import io.camber.meta.protocol.MetaResult.Entry;
import io.camber.s3.S3ProxyProperties;
import io.camber.s3.bucket.Buckets;
import io.camber.s3.fs.Directories;
import io.camber.s3.fs.FsConnection;
import io.camber.s3.multipart.Uploads;
import io.camber.s3.multipart.Uploads.Upload;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Frees what no request will come back for: a staged PUT body that stopped growing long ago (its proxy was killed
 * mid-PUT, or lost the file system before it could discard it) and a multipart upload nobody completed or aborted
 * within the configured time. Every proxy sweeps; two sweeping the same file at once cost one ENOENT.
 */
@Component
public class LeftoverSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweeper.class);

    private final FsConnection connection;
    private final S3ProxyProperties props;
    private final Uploads uploads;
    private final Counter stagedSwept;
    private final Counter uploadsSwept;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "s3-leftover-sweeper");
        t.setDaemon(true);
        return t;
    });

    public LeftoverSweeper(FsConnection connection, S3ProxyProperties props, MeterRegistry registry) {
        this.connection = connection;
        this.props = props;
        this.uploads = new Uploads(props.uploadsDir());
        this.stagedSwept = Counter.builder("camber_s3_swept_staged").baseUnit("files")
                .description("Staged PUT bodies removed after camber.s3.staged-file-expiry without a write")
                .register(registry);
        this.uploadsSwept = Counter.builder("camber_s3_swept_abandoned").baseUnit("uploads")
                .description("Multipart uploads aborted after camber.s3.upload-expiry").register(registry);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        long every = props.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep(Instant.now()).get(every, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("event=s3_sweep_failed error={}", String.valueOf(e.getCause() == null ? e : e.getCause()));
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** One pass as of now: what it removed. */
    public CompletableFuture<Swept> sweep(Instant now) {
        return connection.fs().thenCompose(fs -> sweepStaged(fs, now.minus(props.stagedFileExpiry()))
                .thenCombine(props.uploadExpiry().isZero() ? CompletableFuture.completedFuture(0)
                        : sweepUploads(fs, now.minus(props.uploadExpiry())), Swept::new));
    }

    /** What one pass removed. */
    public record Swept(int stagedFiles, int uploads) {
    }

    private CompletableFuture<Integer> sweepStaged(CamberFs fs, Instant writtenBefore) {
        return Directories.find(fs, CamberFs.ROOT, List.of(props.stagingDir())).thenCompose(dir ->
                Buckets.readAll(fs, dir.ino()).thenCompose(entries -> {
                    CompletableFuture<Integer> removed = CompletableFuture.completedFuture(0);
                    for (Entry e : entries) {
                        if (e.attr() != null && !e.attr().isDirectory()
                                && Instant.ofEpochSecond(0, e.attr().mtime()).isBefore(writtenBefore)) {
                            removed = removed.thenCompose(n -> fs.unlink(dir.ino(), e.name()).handle((v, err) -> {
                                if (err == null) {
                                    stagedSwept.increment();
                                    LOG.info("event=s3_staged_file_swept file={}/{} bytes={}", props.stagingDir(),
                                            e.name(), e.attr().size());
                                    return n + 1;
                                }
                                return n; // ENOENT: another proxy swept it, or its PUT finished after all
                            }));
                        }
                    }
                    return removed;
                })).exceptionally(e -> absent(e, "staged files"));
    }

    private CompletableFuture<Integer> sweepUploads(CamberFs fs, Instant startedBefore) {
        return uploads.all(fs).thenCompose(all -> {
            CompletableFuture<Integer> removed = CompletableFuture.completedFuture(0);
            for (Upload u : all) {
                if (Instant.ofEpochMilli(u.record().initiated()).isBefore(startedBefore)) {
                    removed = removed.thenCompose(n -> uploads.remove(fs, u).handle((v, err) -> {
                        if (err == null) {
                            uploadsSwept.increment();
                            LOG.info("event=s3_upload_swept upload={} bucket={} age={}", u.id(),
                                    u.record().bucket(), Duration.between(Instant.ofEpochMilli(u.record()
                                            .initiated()), Instant.now()));
                            return n + 1;
                        }
                        return n; // completed or aborted meanwhile
                    }));
                }
            }
            return removed;
        });
    }

    private static int absent(Throwable e, String what) {
        if (Directories.errorOf(e) == FsError.ENOENT) {
            return 0; // nothing was ever staged
        }
        throw new java.util.concurrent.CompletionException("sweeping " + what + " failed", Directories.unwrap(e));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
