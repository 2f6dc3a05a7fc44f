package io.camber.client.block;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.OpenMode;
import io.camber.common.api.SegmentInfo;
import io.camber.common.api.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An open Camber volume: a session with the MDS (renewed in the background; read-write and shared sessions
 * carry the volume's epoch), IO split by chunk and sent straight to copyset leaders in parallel.
 * Segments are asked of the MDS on first touch and cached. Once the session is lost or fenced by a
 * newer writer, every further write fails with FENCED instead of hanging.
 */
public final class CamberVolume implements BlockDevice {
    private static final Logger LOG = LoggerFactory.getLogger(CamberVolume.class);
    private static final ScheduledExecutorService RENEWALS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "camber-session-renewal");
        t.setDaemon(true);
        return t;
    });

    /**
     * The zeros every WRITE_ZEROES writes, shared and read-only: a flood of large zeroing requests then costs no
     * heap of its own (each used to allocate its zeros, up to gigabytes with many in flight).
     */
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(1 << 20).asReadOnlyBuffer();

    private final MdsAdminClient mds;
    private final ChunkClient chunks;
    private final EntryInfo entry;
    private final SessionInfo session;
    private final VolumeLayout layout;
    private final Map<Integer, CopysetInfo> copysets;
    // Futures, not values: concurrent first writes to a segment share one allocation instead of each sending
    // its own (every allocation is a replicated MDS command).
    private final OncePerKey<Long, SegmentInfo> segments = new OncePerKey<>();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** Copysets this writer's epoch is committed on (or on its way to), by copyset id. */
    private final OncePerKey<Integer, Void> fences = new OncePerKey<>();
    private final PageSequencer pages = new PageSequencer();
    private final VolumeMetrics metrics;
    private final java.util.concurrent.ScheduledFuture<?> renewal;
    private volatile String lost;
    private final java.util.concurrent.atomic.AtomicBoolean renewing = new java.util.concurrent.atomic.AtomicBoolean();

    private CamberVolume(MdsAdminClient mds, ChunkClient chunks, EntryInfo entry, SessionInfo session,
                         List<CopysetInfo> copysets, VolumeMetrics metrics) {
        this.mds = mds;
        this.chunks = chunks;
        this.entry = entry;
        this.session = session;
        this.layout = new VolumeLayout(entry.segmentSize(), entry.chunkSize());
        Map<Integer, CopysetInfo> byId = new ConcurrentHashMap<>();
        copysets.forEach(c -> byId.put(c.copysetId(), c));
        this.copysets = byId;
        this.metrics = metrics;
        long every = Math.max(200, session.leaseMillis() / 3);
        this.renewal = RENEWALS.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a volume: a read-write open takes a new epoch and fences every earlier writer. A SHARED open (a file
     * system's data volume only) reads and writes at the volume's epoch without fencing anyone; the file system's
     * metadata hands each file its own 4 KiB blocks, so shared writers never touch the same page.
     *
     * <p>The fence: this writer reads, writes or deletes on a copyset only once its new epoch is committed there,
     * so an earlier writer's writes on that copyset land before any IO of this one or are refused. The open sends
     * the fence at once to every copyset holding allocated segments of the volume and waits for them at most
     * {@link #OPEN_FENCE_WAIT}: a copyset without quorum cannot hold up the open, and is fenced before this
     * writer's first IO there instead. Copysets without segments of the volume are fenced lazily the same way; an
     * earlier writer cannot reach them meanwhile, since every segment lookup of a writer carries its epoch and the
     * MDS answers FENCED once a newer writer opened the volume.
     */
    public static CamberVolume open(MdsAdminClient mds, ChunkClient chunks, String path, OpenMode mode, String client,
                                    io.micrometer.core.instrument.MeterRegistry registry) {
        EntryInfo entry = mds.stat(path).join();
        if (entry.type() != io.camber.common.api.EntryType.VOLUME) {
            throw CamberException.invalid(path + " is a directory, not a volume");
        }
        SessionInfo session = mds.open(path, mode, client).join();
        chunks.authorize(session.token()); // before any IO: chunk servers refuse requests without it
        chunks.useCopysetDirectory(() -> mds.copysets("")); // copysets whose members change are looked up again
        List<CopysetInfo> copysets = mds.copysets(entry.pool()).join();
        CamberVolume volume = new CamberVolume(mds, chunks, entry, session, copysets,
                new VolumeMetrics(registry, path));
        if (mode == OpenMode.READ_WRITE) {
            CompletableFuture<?>[] sent;
            try {
                sent = holdingData(mds, path).stream().map(volume::fenced).toArray(CompletableFuture[]::new);
            } catch (RuntimeException e) {
                volume.close();
                throw e;
            }
            try {
                CompletableFuture.allOf(sent).get(OPEN_FENCE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                long pending = java.util.Arrays.stream(sent).filter(f -> !f.isDone() || f.isCompletedExceptionally())
                        .count();
                LOG.warn("event=volume-fence-deferred path={} copysets={} cause={}", path, pending, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                volume.close();
                throw new CamberException(ErrorCode.UNAVAILABLE, "interrupted while opening " + path);
            }
        }
        LOG.info("event=volume-opened path={} mode={} epoch={} session={}", path, mode, session.epoch(),
                session.sessionId());
        return volume;
    }

    /** The copysets holding any chunk of the volume, from its allocated segments (all pages). */
    private static java.util.Set<Integer> holdingData(MdsAdminClient mds, String path) {
        java.util.Set<Integer> ids = new java.util.TreeSet<>();
        Long after = null;
        while (true) {
            List<SegmentInfo> page = mds.segments(path, after, PAGE).join();
            page.forEach(s -> s.chunks().forEach(c -> ids.add(c.copysetId())));
            if (page.size() < PAGE) {
                return ids;
            }
            after = page.get(page.size() - 1).offset();
        }
    }

    private static final int PAGE = 1000;

    /** Longest an open waits for its fences; copysets that did not confirm by then are fenced before their first IO. */
    static final java.time.Duration OPEN_FENCE_WAIT = java.time.Duration.ofSeconds(1);

    /**
     * Completes once this writer's epoch is committed on the copyset (at most one FENCE per copyset and open; a
     * failed one is tried again by the next write there). A shared open fences nothing: it carries the volume's
     * epoch unchanged, like every other shared open of the file system's data volume, and must not stop them.
     */
    private CompletableFuture<Void> fenced(int copysetId) {
        if (session.mode() == OpenMode.SHARED) {
            return CompletableFuture.completedFuture(null);
        }
        return fences.get(copysetId, () -> chunks.fence(copyset(copysetId), entry.id(), session.epoch()));
    }

    /** The epoch a writer shows the MDS with its segment lookups; null for a reader. */
    private Long writerEpoch() {
        return session.mode() == OpenMode.READ_ONLY ? null : session.epoch();
    }

    /**
     * Renews the lease, asynchronously: the renewal thread only starts calls, so a slow or unreachable MDS never
     * delays the renewals of other volumes. One renewal per volume is on its way at a time. A session that expired
     * meanwhile (the MDS could not be reached in time) is taken back with its epoch if no other writer opened the
     * volume since; only a fence, or a newer writer, turns the volume read-only.
     */
    private void renew() {
        if (lost != null || !renewing.compareAndSet(false, true)) {
            return;
        }
        mds.renew(session.sessionId())
                .handle((renewed, e) -> {
                    if (e == null) {
                        chunks.authorize(renewed.token()); // a token with a later expiry
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return recover(cause(e));
                })
                .thenCompose(f -> f)
                .whenComplete((x, e) -> renewing.set(false));
    }

    private CompletableFuture<Void> recover(Throwable failure) {
        if (failure instanceof CamberException ce && ce.code() == ErrorCode.FENCED) {
            lose(ce.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        if (!(failure instanceof CamberException expired && expired.code() == ErrorCode.SESSION_EXPIRED)) {
            // The MDS is unreachable or busy: IO goes on (chunk servers enforce the fence), try again next time.
            LOG.warn("event=session-renew-failed path={} error={}", entry.path(), failure.toString());
            return CompletableFuture.completedFuture(null);
        }
        return mds.resume(session.sessionId(), session.mode(), session.epoch(), session.client())
                .handle((resumed, e) -> {
                    if (e == null) {
                        chunks.authorize(resumed.token());
                        LOG.info("event=session-resumed path={} epoch={} session={}", entry.path(), session.epoch(),
                                session.sessionId());
                    } else if (cause(e) instanceof CamberException ce
                            && (ce.code() == ErrorCode.FENCED || ce.code() == ErrorCode.NOT_FOUND)) {
                        lose(ce.getMessage());
                    } else {
                        LOG.warn("event=session-resume-failed path={} error={}", entry.path(), cause(e).toString());
                    }
                    return null;
                });
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** A newer writer opened the volume (the MDS or a copyset said so): this one turns read-only for good. */
    private void loseIfFenced(Throwable failure) {
        if (cause(failure) instanceof CamberException ce && ce.code() == ErrorCode.FENCED) {
            lose(ce.getMessage());
        }
    }

    private void lose(String why) {
        if (lost == null) {
            lost = why;
            LOG.warn("event=volume-lost path={} reason={}", entry.path(), why);
        }
    }

    @Override
    public long size() {
        return entry.size();
    }

    @Override
    public boolean readOnly() {
        return session.mode() == OpenMode.READ_ONLY || lost != null;
    }

    /** The epoch this open carries on its writes. */
    public long epoch() {
        return session.epoch();
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        try {
            return doRead(offset, length);
        } catch (CamberException e) {
            // Bad ranges and lost sessions fail the returned future, as every other IO failure does.
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<ByteBuffer> doRead(long offset, int length) {
        checkRange(offset, length);
        ByteBuffer out = ByteBuffer.allocate(length);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (VolumeLayout.Piece p : layout.split(offset, length)) {
            parts.add(findSegment(p.segmentOffset()).thenCompose(seg -> {
                if (seg.isEmpty()) {
                    return CompletableFuture.completedFuture(null); // never written: zeros
                }
                return readPiece(seg.get(), p).thenAccept(data -> out.put(p.bufferOffset(), data, 0, p.length()));
            }));
        }
        return metrics.timeRead(length, CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(x -> out));
    }

    /** Reads a piece, widened to whole 4 KiB pages as chunk IO requires. */
    private CompletableFuture<ByteBuffer> readPiece(SegmentInfo seg, VolumeLayout.Piece p) {
        long start = p.offsetInChunk() - p.offsetInChunk() % VolumeLayout.PAGE;
        long end = roundUp(p.offsetInChunk() + p.length());
        SegmentInfo.ChunkLocation loc = seg.chunks().get(p.chunkIndex());
        // A writer reads a copyset only once fenced there, so no earlier writer's write can land after its read.
        CompletableFuture<Void> ready = session.mode() == OpenMode.READ_WRITE ? fenced(loc.copysetId())
                : CompletableFuture.completedFuture(null);
        return ready.thenCompose(f -> chunks.read(copyset(loc.copysetId()), entry.id(), loc.chunkId(), start,
                        (int) (end - start)))
                .thenApply(b -> b.position((int) (p.offsetInChunk() - start)).slice());
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data) {
        try {
            return doWrite(offset, data);
        } catch (CamberException e) {
            // Bad ranges and lost sessions fail the returned future, as every other IO failure does.
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> doWrite(long offset, ByteBuffer data) {
        checkWritable();
        checkRange(offset, data.remaining());
        int length = data.remaining();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (VolumeLayout.Piece p : layout.split(offset, length)) {
            ByteBuffer slice = data.slice(data.position() + p.bufferOffset(), p.length());
            parts.add(segment(p.segmentOffset()).thenCompose(seg -> writePiece(seg, p, slice)));
        }
        return track(metrics.timeWrite(length, CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))));
    }

    private CompletableFuture<Void> writePiece(SegmentInfo seg, VolumeLayout.Piece p, ByteBuffer data) {
        SegmentInfo.ChunkLocation loc = seg.chunks().get(p.chunkIndex());
        CopysetInfo c = copyset(loc.copysetId());
        long first = p.offsetInChunk() / VolumeLayout.PAGE;
        long last = (p.offsetInChunk() + p.length() - 1) / VolumeLayout.PAGE;
        return pages.run(loc.chunkId(), first, last, () -> {
            if (p.pageAligned()) {
                return chunkWrite(c, loc.chunkId(), p.offsetInChunk(), data);
            }
            // A sub-page write: read the whole pages, patch them, write them back (pages are ordered above).
            long start = first * VolumeLayout.PAGE;
            int span = (int) ((last + 1) * VolumeLayout.PAGE - start);
            return chunks.read(c, entry.id(), loc.chunkId(), start, span).thenCompose(old -> {
                ByteBuffer page = ByteBuffer.allocate(span).put(old);
                page.put((int) (p.offsetInChunk() - start), data, data.position(), p.length());
                return chunkWrite(c, loc.chunkId(), start, page.flip());
            });
        });
    }

    private CompletableFuture<Void> chunkWrite(CopysetInfo c, long chunkId, long offset, ByteBuffer data) {
        checkWritable();
        return fenced(c.copysetId()).thenCompose(f -> chunks.write(c, entry.id(), session.epoch(), chunkId, offset,
                data)).whenComplete((x, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CamberException ce && ce.code() == ErrorCode.FENCED) {
                lose(ce.getMessage());
            }
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        // Every acknowledged write is already durable on a majority: flush only waits for those in flight.
        return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((x, e) -> null);
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        return writeZeroes(offset, length);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length) {
        try {
            return doWriteZeroes(offset, length);
        } catch (CamberException e) {
            // Bad ranges and lost sessions fail the returned future, as every other IO failure does.
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> doWriteZeroes(long offset, long length) {
        checkWritable();
        checkRange(offset, length);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (VolumeLayout.Piece p : layout.split(offset, length)) {
            parts.add(findSegment(p.segmentOffset()).thenCompose(seg -> {
                if (seg.isEmpty()) {
                    return CompletableFuture.completedFuture(null); // unallocated: already zeros
                }
                return zeroPiece(seg.get(), p);
            }));
        }
        return track(CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)));
    }

    private CompletableFuture<Void> zeroPiece(SegmentInfo seg, VolumeLayout.Piece p) {
        if (p.offsetInChunk() == 0 && p.length() == layout.chunkSize()) {
            // A whole chunk: delete it, releasing its file; it reads as zeros from then on.
            SegmentInfo.ChunkLocation loc = seg.chunks().get(p.chunkIndex());
            checkWritable();
            return pages.run(loc.chunkId(), 0, layout.chunkSize() / VolumeLayout.PAGE - 1, () ->
                    fenced(loc.copysetId()).thenCompose(f -> chunks.delete(copyset(loc.copysetId()), entry.id(),
                            session.epoch(), loc.chunkId())).thenApply(x -> null));
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        int step = 1 << 20;
        for (int done = 0; done < p.length(); done += step) {
            int len = Math.min(step, p.length() - done);
            VolumeLayout.Piece part = new VolumeLayout.Piece(p.segmentOffset(), p.chunkIndex(),
                    p.offsetInChunk() + done, len, 0);
            writes.add(writePiece(seg, part, ZEROS.slice(0, len)));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> f) {
        inFlight.add(f);
        f.whenComplete((x, e) -> inFlight.remove(f));
        return f;
    }

    private CompletableFuture<SegmentInfo> segment(long segmentOffset) {
        // a failed allocation is forgotten, so it is asked again next time
        return segments.get(segmentOffset, () -> mds.segment(entry.id(), segmentOffset, writerEpoch())
                .thenApply(this::ours).whenComplete((seg, e) -> {
                    if (e != null) {
                        loseIfFenced(e);
                    }
                }));
    }

    /** The segment if it is allocated; holes are not cached, since a writer may allocate them later. */
    private CompletableFuture<Optional<SegmentInfo>> findSegment(long segmentOffset) {
        CompletableFuture<SegmentInfo> known = segments.peek(segmentOffset);
        if (known != null) {
            return known.thenApply(Optional::of);
        }
        return mds.findSegment(entry.id(), segmentOffset, writerEpoch()).whenComplete((s, e) -> {
            if (e != null) {
                loseIfFenced(e);
            }
        }).thenApply(s -> {
            s.map(this::ours).ifPresent(seg -> segments.keep(segmentOffset, seg));
            return s;
        });
    }

    /** The segment, once checked to be this volume's: bytes of another volume are never read or overwritten. */
    private SegmentInfo ours(SegmentInfo seg) {
        if (seg.volumeId() != entry.id()) {
            throw new CamberException(ErrorCode.CONFLICT, "the MDS answered a segment of volume " + seg.volumeId()
                    + " for volume " + entry.id() + " (" + entry.path() + "); refusing to use it");
        }
        return seg;
    }

    private CopysetInfo copyset(int id) {
        CopysetInfo c = copysets.get(id);
        if (c == null) {
            throw new CamberException(ErrorCode.NOT_FOUND, "copyset " + id + " of pool " + entry.pool()
                    + " is unknown to this client; reopen the volume");
        }
        return c;
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset % SECTOR != 0 || length % SECTOR != 0) {
            throw CamberException.invalid("IO at " + offset + "+" + length + " is not " + SECTOR + "-byte aligned");
        }
        if (offset + length > entry.size()) {
            throw CamberException.invalid("IO at " + offset + "+" + length + " ends beyond the volume ("
                    + entry.size() + " bytes)");
        }
    }

    private void checkWritable() {
        if (lost != null) {
            throw new CamberException(ErrorCode.FENCED, "volume " + entry.path() + " is no longer writable here: " + lost);
        }
        if (session.mode() == OpenMode.READ_ONLY) {
            throw new CamberException(ErrorCode.CONFLICT, "volume " + entry.path() + " is open read-only");
        }
    }

    private static long roundUp(long v) {
        return (v + VolumeLayout.PAGE - 1) / VolumeLayout.PAGE * VolumeLayout.PAGE;
    }

    @Override
    public void close() {
        renewal.cancel(false);
        flush().join();
        try {
            mds.close(session.sessionId()).join();
        } catch (CompletionException e) {
            LOG.warn("event=session-close-failed path={} error={}", entry.path(), e.getCause());
        }
        metrics.close();
    }
}
