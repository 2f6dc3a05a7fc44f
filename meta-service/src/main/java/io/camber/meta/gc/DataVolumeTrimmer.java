package io.camber.meta.gc;

import io.camber.client.block.CamberVolume;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.OpenMode;
import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Trims space on file systems' data volumes through SHARED opens (one per file system, kept open between passes):
 * {@link CamberVolume#trim} deletes whole chunks and writes zeros over partial ones, and completes once a majority
 * of each copyset committed that, so the space reads as zeros from then on whatever happens. A failed trim closes
 * the open, so the next pass reopens it with a fresh session and the pool's current copysets.
 */
public final class DataVolumeTrimmer implements SpaceTrimmer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataVolumeTrimmer.class);
    /** Most bytes trimmed by one call, whose chunk requests go out in parallel. */
    static final long PIECE = 64L << 20;

    private final MdsAdminClient mds;
    private final ChunkClient chunks;
    private final MeterRegistry registry;
    private final String client;
    private final Duration timeout;
    private final Map<Long, CamberVolume> volumes = new ConcurrentHashMap<>();

    public DataVolumeTrimmer(MdsAdminClient mds, ChunkClient chunks, MeterRegistry registry, String client,
                             Duration timeout) {
        this.mds = mds;
        this.chunks = chunks;
        this.registry = registry;
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public void trim(long fsId, List<Extent> extents) throws Exception {
        if (extents.isEmpty()) {
            return;
        }
        CamberVolume volume = volume(fsId);
        try {
            for (Extent e : extents) {
                // Piece by piece: a deleted terabyte file must not become a million chunk requests at once.
                for (long done = 0; done < e.length(); done += PIECE) {
                    volume.trim(e.volumeOffset() + done, Math.min(PIECE, e.length() - done))
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (Exception e) {
            forget(fsId, volume);
            throw e;
        }
    }

    private CamberVolume volume(long fsId) {
        CamberVolume open = volumes.get(fsId);
        if (open != null && !open.readOnly()) {
            return open;
        }
        if (open != null) {
            forget(fsId, open); // its session was lost
        }
        CamberVolume fresh = CamberVolume.open(mds, chunks, DataLayout.dataVolumePath(fsId), OpenMode.SHARED, client,
                registry);
        volumes.put(fsId, fresh);
        return fresh;
    }

    /** Closes the opens of file systems not in fsIds (no partition of theirs is led here any more). */
    public void retain(Set<Long> fsIds) {
        volumes.forEach((fsId, volume) -> {
            if (!fsIds.contains(fsId)) {
                forget(fsId, volume);
            }
        });
    }

    private void forget(long fsId, CamberVolume volume) {
        if (volumes.remove(fsId, volume)) {
            try {
                volume.close();
            } catch (RuntimeException e) {
                LOG.debug("event=data_volume_close_failed fs={} error={}", fsId, e.toString());
            }
        }
    }

    @Override
    public void close() {
        volumes.forEach(this::forget);
        chunks.close();
    }
}
