package io.camber.client.fs;

import io.camber.client.block.BlockDevice;
import io.camber.client.block.CamberVolume;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.OpenMode;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The open files of one mount and the one data volume they share: opened SHARED (many writers, no fencing) on the
 * first open of a file, since a mount that only lists directories needs no data session. Bounds the bytes all
 * handles buffer together.
 */
final class FileHandles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileHandles.class);
    /** CamberVolume.open waits on the MDS: it runs here, never on a Ratis or HTTP client thread. */
    private static final ExecutorService OPENER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "camber-fs-volume-open");
        t.setDaemon(true);
        return t;
    });

    /** Keeps open orphans of every mount in this process from GC: one short call per open file per round. */
    private static final ScheduledExecutorService KEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "camber-fs-orphan-keeper");
        t.setDaemon(true);
        return t;
    });

    private final Supplier<CompletableFuture<BlockDevice>> opener;
    private final FileSpace space;
    private final int bufferBytes;
    private final long mountBufferBytes;
    private final AtomicLong buffered = new AtomicLong();
    private final Map<Long, OpenInode> open = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<BlockDevice>> volume = new AtomicReference<>();
    private volatile FileReader reader;
    private volatile FileWriter writer;
    private volatile ScheduledFuture<?> keeping;
    private volatile boolean closed;

    FileHandles(Supplier<CompletableFuture<BlockDevice>> opener, FileSpace space, int bufferBytes,
                long mountBufferBytes) {
        this.opener = opener;
        this.space = space;
        this.bufferBytes = bufferBytes;
        this.mountBufferBytes = mountBufferBytes;
    }

    /** Opens the file system's data volume SHARED through the MDS. */
    static Supplier<CompletableFuture<BlockDevice>> sharedVolume(MdsAdminClient mds, ChunkClient chunks,
                                                                 Supplier<String> path, String clientName) {
        return () -> CompletableFuture.supplyAsync(() -> {
            String volumePath = path.get();
            if (volumePath == null) {
                throw FsException.of(FsError.EIO, "this file system has no data volume (created before data "
                        + "volumes existed): recreate it to store file data");
            }
            return CamberVolume.open(mds, chunks, volumePath, OpenMode.SHARED, clientName, Metrics.globalRegistry);
        }, OPENER);
    }

    CompletableFuture<CamberFs.FileHandle> open(Inode inode, boolean write) {
        if (inode.isDirectory()) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EISDIR, "inode " + inode.ino()
                    + " is a directory: use readdir"));
        }
        if (inode.type() != FileType.REGULAR) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EINVAL, "inode " + inode.ino() + " is a "
                    + inode.type() + ": only regular files hold data"));
        }
        return volume().thenApply(v -> {
            // A first open learns the file's map from the inode just read; later opens refresh it (close-to-open).
            OpenInode file = open.compute(inode.ino(), (ino, known) -> {
                OpenInode f = known != null ? known : new OpenInode(ino, FileView.of(inode));
                if (known != null && known.handles.isEmpty()) {
                    f.view(FileView.of(inode));
                }
                return f;
            });
            OpenFile handle = new OpenFile(file, write, this, bufferBytes);
            file.handles.add(handle);
            return handle;
        });
    }

    /**
     * Opens the data volume now rather than at the first file open: the mount's session on it is how the MDS knows
     * the file system is mounted (camber fs rm refuses a mounted one), from mount to unmount.
     */
    CompletableFuture<Void> openVolume() {
        return volume().thenApply(v -> null);
    }

    private CompletableFuture<BlockDevice> volume() {
        CompletableFuture<BlockDevice> mine = new CompletableFuture<>();
        CompletableFuture<BlockDevice> known = volume.compareAndExchange(null, mine);
        if (known != null) {
            return known;
        }
        opener.get().whenComplete((v, e) -> {
            if (e != null) {
                volume.compareAndSet(mine, null); // the next open tries again
                mine.completeExceptionally(FsErrors.unwrap(e) instanceof FsException ? FsErrors.unwrap(e)
                        : FsException.of(FsError.EIO, "could not open the file system's data volume ("
                        + FsErrors.unwrap(e).getMessage() + "); retry when the MDS and chunk servers answer"));
                return;
            }
            VolumeBytes bytes = new VolumeBytes(v);
            reader = new FileReader(bytes);
            writer = new FileWriter(space, bytes);
            mine.complete(v);
        });
        return mine;
    }

    FileReader reader() {
        return reader;
    }

    FileWriter writer() {
        return writer;
    }

    FileSpace space() {
        return space;
    }

    int bufferBytes() {
        return bufferBytes;
    }

    /** Takes bytes from the mount's buffer budget; false when it would overflow (the write then goes directly). */
    boolean reserve(long bytes) {
        long now = buffered.addAndGet(bytes);
        if (now > mountBufferBytes) {
            buffered.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void unreserve(long bytes) {
        buffered.addAndGet(-bytes);
    }

    /**
     * Every {@code every}, asks whether the files this mount has open lost their last name, and keeps those from GC
     * for another grace period ({@link FileSpace#keepIfOrphan}): an unlinked file stays readable until its last
     * close here, however long it stays open. A mount that dies stops keeping them, and GC frees them after the grace.
     */
    void keepOpenOrphans(Duration every) {
        long ms = every.toMillis();
        // At a fixed rate and without waiting for the round: a partition that does not answer (each call gives up
        // after 30 s), or another mount's, must not stretch the time between two renewals past the grace.
        keeping = KEEPER.scheduleAtFixedRate(this::keepOrphansNow, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One round of {@link #keepOpenOrphans}; completes when every open file was asked (failures are logged). */
    CompletableFuture<Void> keepOrphansNow() {
        if (closed) {
            return CompletableFuture.completedFuture(null); // a round that started as the mount closed
        }
        List<CompletableFuture<Void>> asked = new ArrayList<>();
        for (long ino : open.keySet()) {
            CompletableFuture<Boolean> kept;
            try {
                kept = space.keepIfOrphan(ino);
            } catch (RuntimeException e) {
                kept = CompletableFuture.failedFuture(e); // a throw here would end the schedule for good
            }
            asked.add(kept.orTimeout(30, TimeUnit.SECONDS).handle((wasOrphan, e) -> {
                if (e != null) {
                    LOG.warn("event=fs_open_orphan_not_kept ino={} cause={}", ino, FsErrors.unwrap(e).toString());
                } else if (wasOrphan) {
                    LOG.debug("event=fs_open_orphan_kept ino={}", ino);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new));
    }

    void released(OpenFile handle, OpenInode file) {
        file.handles.remove(handle);
        open.computeIfPresent(file.ino, (ino, f) -> f.handles.isEmpty() ? null : f);
    }

    /** Sends what this mount's handles of ino buffered (before a truncate, which they must not overtake). */
    CompletableFuture<Void> flushAll(long ino) {
        OpenInode file = open.get(ino);
        return file == null ? CompletableFuture.completedFuture(null) : file.flushAll();
    }

    /** The bytes past the end of ino's last block are zeroed before it grows to newSize (a truncate up). */
    CompletableFuture<Void> beforeGrowing(Inode inode, long newSize) {
        if (newSize <= inode.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return volume().thenCompose(v -> writer.zeroTail(FileView.of(inode), newSize));
    }

    /** Tells this mount's handles of a file its size and map after a setattr. */
    void resized(Inode inode) {
        OpenInode file = open.get(inode.ino());
        if (file != null) {
            file.view(FileView.of(inode));
        }
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> k = keeping;
        if (k != null) {
            k.cancel(false);
        }
        open.values().forEach(f -> f.handles.forEach(h -> h.release().exceptionally(e -> {
            LOG.warn("event=fs_handle_lost_writes ino={} cause={}", f.ino, e.toString());
            return null;
        }).join()));
        CompletableFuture<BlockDevice> v = volume.getAndSet(null);
        if (v != null && v.isDone() && !v.isCompletedExceptionally()) {
            v.join().close();
        }
    }
}
