package io.camber.chunk.store;

import io.camber.server.storage.DirectorySync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of preallocated, zero-filled chunk files that chunk stores take from and give back to,
 * so creating a chunk is a rename instead of a block allocation plus a metadata fsync.
 */
public final class ChunkFilePool {
    private static final Logger log = LoggerFactory.getLogger(ChunkFilePool.class);
    private static final String META_FILE = "pool.meta";
    private static final String PREFIX = "pool-";
    private static final String TMP = ".tmp";
    private static final int FORMAT_BLOCK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(FORMAT_BLOCK).asReadOnlyBuffer();

    private final Path dir;
    private final ChunkLayout layout;
    private final Deque<Path> free = new ArrayDeque<>();
    private final AtomicLong nextIndex;
    private final AtomicLong formattedOnDemand = new AtomicLong();
    private final AtomicLong formattedInBackground = new AtomicLong();
    private final Object refillLock = new Object();
    private volatile LowWater lowWater;
    private volatile int keep = Integer.MAX_VALUE;

    private record LowWater(int files, Runnable wake) {
    }

    private ChunkFilePool(Path dir, ChunkLayout layout, List<Path> existing, long nextIndex) {
        this.dir = dir;
        this.layout = layout;
        this.free.addAll(existing);
        this.nextIndex = new AtomicLong(nextIndex);
    }

    /** Opens (creating if needed) the pool in {@code poolDir} and formats files until it holds {@code target}. */
    public static ChunkFilePool open(Path poolDir, long chunkSize, int target) {
        ChunkLayout layout = ChunkLayout.of(chunkSize);
        try {
            Files.createDirectories(poolDir);
            checkOrWriteMeta(poolDir, layout);
            List<Path> existing = new ArrayList<>();
            long maxIndex = -1;
            try (Stream<Path> entries = Files.list(poolDir)) {
                for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(TMP)) {
                        // A crash interrupted formatting: the file may be short or partly zero, never use it.
                        log.info("event=pool_stale_tmp_deleted file={}", p);
                        Files.delete(p);
                    } else if (name.startsWith(PREFIX)) {
                        maxIndex = Math.max(maxIndex, parseIndex(p));
                        long size = Files.size(p);
                        if (size != layout.fileSize()) {
                            throw new IllegalStateException("pool file " + p + " has " + size + " bytes, expected "
                                    + layout.fileSize() + ": delete it and reopen the pool to format a fresh one");
                        }
                        existing.add(p);
                    }
                }
            }
            ChunkFilePool pool = new ChunkFilePool(poolDir, layout, existing, maxIndex + 1);
            pool.refill(target);
            return pool;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open chunk file pool " + poolDir, e);
        }
    }

    /** Moves one pool file to {@code target} (which must not exist), formatting one on the spot if empty. */
    public Path take(Path target) {
        if (Files.exists(target)) {
            throw new IllegalStateException("cannot take a pool file to " + target + ": it already exists");
        }
        Path source;
        int left;
        synchronized (free) {
            source = free.pollFirst();
            left = free.size();
        }
        LowWater watch = lowWater;
        if (watch != null && left < watch.files()) {
            watch.wake().run();
        }
        if (source == null) {
            // Slow path: the background refill fell behind, so this caller pays the full format cost.
            source = format(nextName() + TMP);
            formattedOnDemand.incrementAndGet();
            log.warn("event=pool_empty_format_on_demand pool={} target={}", dir, target);
        }
        try {
            move(source, target);
        } catch (RuntimeException e) {
            // The file is still where it was: keep it takeable rather than leaking it until the next start.
            giveBack(source);
            throw e;
        }
        return target;
    }

    /**
     * Deleted chunks beyond this many free files are removed instead of pooled, so disk usage falls back after a
     * volume is deleted rather than staying at its peak.
     */
    public void keepAtMost(int files) {
        keep = Math.max(0, files);
    }

    /** Calls {@code wake} whenever a take leaves fewer than {@code files} in the pool: the refiller's cue. */
    public void onLowWater(int files, Runnable wake) {
        lowWater = new LowWater(files, wake);
    }

    /**
     * Gives a deleted chunk's file back to the pool. Only the meta area is zeroed: the cleared bitmap is
     * what hides the old data, so the 16 MiB of data need no rewrite.
     */
    public void recycle(Path chunkFile) {
        if (available() >= keep) {
            remove(chunkFile);
            return;
        }
        try (FileChannel channel = FileChannel.open(chunkFile, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size != layout.fileSize()) {
                throw new IllegalArgumentException("cannot recycle " + chunkFile + ": it has " + size
                        + " bytes but this pool holds files of " + layout.fileSize());
            }
            writeZeros(channel, 0, layout.metaSize());
            // Durable before the rename: a pool file must never carry another chunk's valid meta page,
            // or a crash right after its next take would look like a corrupt chunk.
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recycle chunk file " + chunkFile, e);
        }
        Path pooled = dir.resolve(nextName());
        move(chunkFile, pooled);
        giveBack(pooled);
    }

    /** Removes a deleted chunk's file for good (the pool is full); durable once its directory is synced. */
    private void remove(Path chunkFile) {
        try {
            Files.delete(chunkFile);
            DirectorySync.sync(chunkFile.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove chunk file " + chunkFile, e);
        }
    }

    private void giveBack(Path file) {
        synchronized (free) {
            free.addLast(file);
        }
    }

    /** Formats files until at least {@code target} are available; safe to run in the background. */
    public void refill(int target) {
        int formatted = 0;
        while (available() < target) {
            formatOne();
            formatted++;
        }
        if (formatted > 0) {
            log.info("event=pool_refilled pool={} formatted={} available={}", dir, formatted, available());
        }
    }

    /** Formats one more file into the pool (a 16 MiB write and fsync for default chunks). */
    public void formatOne() {
        synchronized (refillLock) {
            String name = nextName();
            Path tmp = format(name + TMP);
            Path done = dir.resolve(name);
            try {
                move(tmp, done);
                DirectorySync.sync(dir);
            } catch (RuntimeException e) {
                deleteQuietly(tmp, e);
                deleteQuietly(done, e);
                throw e;
            }
            giveBack(done);
            formattedInBackground.incrementAndGet();
        }
    }

    /** Number of preallocated files ready to take. */
    public int available() {
        synchronized (free) {
            return free.size();
        }
    }

    /** Files formatted ahead of need (at open and by the refiller) since this pool was opened. */
    public long formattedInBackground() {
        return formattedInBackground.get();
    }

    /** How many times {@link #take} found the pool empty and had to format a file itself. */
    public long formattedOnDemand() {
        return formattedOnDemand.get();
    }

    /** Data bytes per chunk file (excluding the meta area). */
    public long chunkSize() {
        return layout.chunkSize();
    }

    /** The layout every file in this pool has. */
    public ChunkLayout layout() {
        return layout;
    }

    /** The pool directory. */
    public Path dir() {
        return dir;
    }

    private String nextName() {
        return PREFIX + nextIndex.getAndIncrement();
    }

    private Path format(String tmpName) {
        Path tmp = dir.resolve(tmpName);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // Real zeros, not setLength: the blocks get allocated now, so later writes never extend the file.
            writeZeros(channel, 0, layout.fileSize());
            channel.force(true);
        } catch (IOException e) {
            // A half-written file would hold on to the very space whose lack probably failed it.
            deleteQuietly(tmp, e);
            throw new UncheckedIOException("cannot format pool file " + tmp + " (is the disk full?)", e);
        }
        return tmp;
    }

    private static void deleteQuietly(Path file, Exception failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void writeZeros(FileChannel channel, long from, long length) throws IOException {
        long pos = from;
        long end = from + length;
        while (pos < end) {
            ByteBuffer block = ZEROS.duplicate();
            block.limit((int) Math.min(FORMAT_BLOCK, end - pos));
            while (block.hasRemaining()) {
                pos += channel.write(block, pos);
            }
        }
    }

    private void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("cannot move " + from + " to " + to + " atomically: the pool and the"
                    + " chunk directories must be on the same filesystem", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    private static long parseIndex(Path p) {
        String name = p.getFileName().toString();
        try {
            return Long.parseLong(name.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("unexpected file " + p + " in the chunk file pool: remove it", e);
        }
    }

    private static void checkOrWriteMeta(Path poolDir, ChunkLayout layout) throws IOException {
        Path meta = poolDir.resolve(META_FILE);
        if (Files.exists(meta)) {
            Properties props = new Properties();
            try (var in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                props.load(in);
            }
            String format = props.getProperty("version");
            if (!String.valueOf(MetaPage.VERSION).equals(format)) {
                throw new IllegalStateException("chunk file pool " + poolDir + " holds chunk format " + format
                        + " but this release writes format " + MetaPage.VERSION + " (a CRC32C per 4 KiB page and two"
                        + " meta slots). There is no in-place upgrade and the two formats cannot share a copyset (a"
                        + " snapshot copies chunk files as they are): copy the data out with the previous release, then"
                        + " start every service of the cluster on empty data directories (playground: down --purge)");
            }
            String recorded = props.getProperty("chunkSize");
            if (!String.valueOf(layout.chunkSize()).equals(recorded)) {
                throw new IllegalStateException("chunk file pool " + poolDir + " was formatted for chunk size "
                        + recorded + " but " + layout.chunkSize() + " was requested: configure chunk size "
                        + recorded + " or use an empty data directory for the new size");
            }
            return;
        }
        // Written via tmp + rename so a crash never leaves a pool without a readable chunk size.
        Path tmp = poolDir.resolve(META_FILE + TMP);
        String text = "version=" + MetaPage.VERSION + "\nchunkSize=" + layout.chunkSize() + "\nfileSize="
                + layout.fileSize() + "\n";
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE);
        DirectorySync.sync(poolDir);
    }
}
