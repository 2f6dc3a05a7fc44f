package io.camber.client.block;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.client.nbd.ExportInfo;
import io.camber.client.nbd.ExportResolver;
import io.camber.common.CamberException;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.EntryType;
import io.camber.common.api.OpenMode;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Camber volumes as NBD exports: the export name is the volume path. Connections to the same export
 * share one open volume (one session, one epoch), so a client that opens several connections does
 * not fence itself; the volume is closed when its last connection ends.
 */
public final class VolumeExports implements ExportResolver {
    private final MdsAdminClient mds;
    private final ChunkClient chunks;
    private final MeterRegistry registry;
    private final boolean readOnly;
    private final String clientName;
    private final Map<String, Shared> open = new HashMap<>();

    /** Exports every volume; with readOnly, opens them read-only (never fencing a writer). */
    public VolumeExports(MdsAdminClient mds, ChunkClient chunks, MeterRegistry registry, boolean readOnly,
                         String clientName) {
        this.mds = mds;
        this.chunks = chunks;
        this.registry = registry;
        this.readOnly = readOnly;
        this.clientName = clientName;
    }

    private static final class Shared {
        final CamberVolume volume;
        int users;

        Shared(CamberVolume volume) {
            this.volume = volume;
        }
    }

    @Override
    public BlockDevice open(String exportName, boolean probeOnly) {
        String path = exportName.startsWith("/") ? exportName : "/" + exportName;
        OpenMode mode = readOnly || probeOnly ? OpenMode.READ_ONLY : OpenMode.READ_WRITE;
        String key = mode + " " + path;
        synchronized (open) {
            Shared shared = open.get(key);
            if (shared == null) {
                try {
                    shared = new Shared(CamberVolume.open(mds, chunks, path, mode, clientName, registry));
                } catch (CompletionException e) {
                    throw e.getCause() instanceof CamberException ce ? ce : e;
                }
                open.put(key, shared);
            }
            shared.users++;
            return new Lease(key, shared);
        }
    }

    private void release(String key, Shared shared) {
        synchronized (open) {
            if (--shared.users > 0) {
                return;
            }
            open.remove(key);
        }
        shared.volume.close();
    }

    @Override
    public List<ExportInfo> list() {
        List<ExportInfo> out = new ArrayList<>();
        walk("/", out, 0);
        return out;
    }

    private void walk(String dir, List<ExportInfo> out, int depth) {
        if (depth > 8 || out.size() >= 1000) {
            return;
        }
        for (EntryInfo e : mds.list(dir).join()) {
            if (e.type() == EntryType.VOLUME) {
                out.add(new ExportInfo(e.path(), "Camber volume, " + e.size() + " bytes, pool " + e.pool()));
            } else {
                walk(e.path(), out, depth + 1);
            }
        }
    }

    /** One connection's hold on a shared volume; closing it lets go. */
    private final class Lease implements BlockDevice {
        private final String key;
        private final Shared shared;
        private boolean closed;

        Lease(String key, Shared shared) {
            this.key = key;
            this.shared = shared;
        }

        @Override
        public long size() {
            return shared.volume.size();
        }

        @Override
        public boolean readOnly() {
            return shared.volume.readOnly();
        }

        @Override
        public CompletableFuture<ByteBuffer> read(long offset, int length) {
            return shared.volume.read(offset, length);
        }

        @Override
        public CompletableFuture<Void> write(long offset, ByteBuffer data) {
            return shared.volume.write(offset, data);
        }

        @Override
        public CompletableFuture<Void> flush() {
            return shared.volume.flush();
        }

        @Override
        public CompletableFuture<Void> trim(long offset, long length) {
            return shared.volume.trim(offset, length);
        }

        @Override
        public CompletableFuture<Void> writeZeroes(long offset, long length) {
            return shared.volume.writeZeroes(offset, length);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(key, shared);
            }
        }
    }
}
