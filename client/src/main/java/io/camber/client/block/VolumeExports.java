package io.camber.client.block;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.client.nbd.ExportInfo;
import io.camber.client.nbd.ExportResolver;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.FsDataVolumes;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.EntryType;
import io.camber.common.api.OpenMode;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.ByteBuffer;
import java.time.Duration;
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
    private final Map<String, Shared> open = new HashMap<>(); // locked only to find or register a volume

    /** Exports every volume; with readOnly, opens them read-only (never fencing a writer). */
    public VolumeExports(MdsAdminClient mds, ChunkClient chunks, MeterRegistry registry, boolean readOnly,
                         String clientName) {
        this.mds = mds;
        this.chunks = chunks;
        this.registry = registry;
        this.readOnly = readOnly;
        this.clientName = clientName;
    }

    /** One open volume shared by every connection to its export; the open itself runs outside any lock. */
    private static final class Shared {
        final CompletableFuture<CamberVolume> volume = new CompletableFuture<>();
        int users; // guarded by the exports map
    }

    /**
     * Opens (or joins) the export's volume. The map is locked only to find or register the shared volume; the
     * open (MDS calls, fencing every copyset) runs outside the lock, so a slow or unreachable copyset delays only
     * the connections to that same export, never those to other volumes.
     */
    @Override
    public BlockDevice open(String exportName, boolean readOnlyOpen) {
        String path = pathOf(exportName);
        OpenMode mode = readOnly || readOnlyOpen ? OpenMode.READ_ONLY : OpenMode.READ_WRITE;
        String key = mode + " " + path;
        Shared shared;
        boolean opener;
        synchronized (open) {
            shared = open.get(key);
            opener = shared == null;
            if (opener) {
                shared = new Shared();
                open.put(key, shared);
            }
            shared.users++;
        }
        if (opener) {
            try {
                shared.volume.complete(whileUnavailable("opening " + path,
                        () -> CamberVolume.open(mds, chunks, path, mode, clientName, registry)));
            } catch (RuntimeException e) {
                synchronized (open) {
                    open.remove(key, shared); // the next connection tries again
                }
                shared.volume.completeExceptionally(e);
            }
        }
        try {
            return new Lease(key, shared, shared.volume.join());
        } catch (CompletionException e) {
            release(key, shared);
            Throwable cause = e.getCause() instanceof CompletionException inner ? inner.getCause() : e.getCause();
            throw cause instanceof CamberException ce ? ce : e;
        }
    }

    /**
     * A probe only states the volume: no session, so answering NBD_OPT_INFO writes nothing to the MDS log and
     * never fences a writer.
     */
    @Override
    public BlockDevice probe(String exportName) {
        String path = pathOf(exportName);
        EntryInfo entry = whileUnavailable("looking up " + path, () -> mds.stat(path).join());
        if (entry.type() != EntryType.VOLUME) {
            throw CamberException.invalid(path + " is a directory, not a volume");
        }
        return new Probe(entry.size(), readOnly);
    }

    /** How long a lookup or open waits for an unreachable MDS (restarting, electing) before giving up. */
    static final Duration MDS_PATIENCE = Duration.ofSeconds(15);

    /**
     * Runs call, again while it fails because the MDS cannot be reached or has no leader (pausing 200 ms doubling
     * to 2 s), for at most {@link #MDS_PATIENCE}: a client connecting right after a restart then waits a moment
     * instead of being told its export does not exist. Any other answer, error or not, returns at once.
     */
    private static <T> T whileUnavailable(String what, java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + MDS_PATIENCE.toNanos();
        long pause = 200;
        while (true) {
            CamberException failure;
            try {
                return call.get();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof CamberException ce)) {
                    throw e;
                }
                failure = ce;
            } catch (CamberException e) {
                failure = e;
            }
            boolean retryable = failure.code() == ErrorCode.UNAVAILABLE || failure.code() == ErrorCode.NO_LEADER;
            if (!retryable) {
                throw failure;
            }
            if (System.nanoTime() + pause * 1_000_000 > deadline) {
                throw new CamberException(ErrorCode.UNAVAILABLE, "the MDS could not be reached for "
                        + MDS_PATIENCE.toSeconds() + " s while " + what + " (" + failure.getMessage()
                        + "); the export exists or not, we cannot tell: retry once the MDS is up");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            pause = Math.min(2000, pause * 2);
        }
    }

    /** The volume path of an export; file systems' data volumes are not exports (they open SHARED only). */
    private static String pathOf(String exportName) {
        String path = exportName.startsWith("/") ? exportName : "/" + exportName;
        if (FsDataVolumes.isReserved(path)) {
            throw new CamberException(ErrorCode.FORBIDDEN, path + " is a file system's data volume, not an export:"
                    + " mount the file system instead");
        }
        return path;
    }

    private void release(String key, Shared shared) {
        synchronized (open) {
            if (--shared.users > 0) {
                return;
            }
            open.remove(key, shared);
        }
        if (shared.volume.isDone() && !shared.volume.isCompletedExceptionally()) {
            shared.volume.join().close();
        }
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
            if (FsDataVolumes.isReserved(e.path())) {
                continue; // file systems' data volumes are not exports
            }
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
        private final CamberVolume volume;
        private boolean closed;

        Lease(String key, Shared shared, CamberVolume volume) {
            this.key = key;
            this.shared = shared;
            this.volume = volume;
        }

        @Override
        public long size() {
            return volume.size();
        }

        @Override
        public boolean readOnly() {
            return volume.readOnly();
        }

        @Override
        public CompletableFuture<ByteBuffer> read(long offset, int length) {
            return volume.read(offset, length);
        }

        @Override
        public CompletableFuture<Void> write(long offset, ByteBuffer data) {
            return volume.write(offset, data);
        }

        @Override
        public CompletableFuture<Void> flush() {
            return volume.flush();
        }

        @Override
        public CompletableFuture<Void> trim(long offset, long length) {
            return volume.trim(offset, length);
        }

        @Override
        public CompletableFuture<Void> writeZeroes(long offset, long length) {
            return volume.writeZeroes(offset, length);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(key, shared);
            }
        }
    }

    /** What an INFO probe sees: the size and mode, no IO. */
    private record Probe(long size, boolean readOnly) implements BlockDevice {
        @Override
        public CompletableFuture<ByteBuffer> read(long offset, int length) {
            return CompletableFuture.failedFuture(notForIo());
        }

        @Override
        public CompletableFuture<Void> write(long offset, ByteBuffer data) {
            return CompletableFuture.failedFuture(notForIo());
        }

        @Override
        public CompletableFuture<Void> flush() {
            return CompletableFuture.failedFuture(notForIo());
        }

        @Override
        public CompletableFuture<Void> trim(long offset, long length) {
            return CompletableFuture.failedFuture(notForIo());
        }

        @Override
        public CompletableFuture<Void> writeZeroes(long offset, long length) {
            return CompletableFuture.failedFuture(notForIo());
        }

        @Override
        public void close() {
        }

        private static CamberException notForIo() {
            return CamberException.invalid("a probe of an export serves no IO: open it with NBD_OPT_GO");
        }
    }
}
