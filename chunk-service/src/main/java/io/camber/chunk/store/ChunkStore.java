package io.camber.chunk.store;

import io.camber.server.storage.DirectorySync;

import io.camber.common.CamberException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunks of one copyset replica, one file per chunk under {@code <copysetDir>/chunks/<chunkId>}.
 *
 * <p>Mutations (write, delete, sync, reload) are serialised; the Raft apply thread is the one writer.
 * Reads run concurrently with each other and with writes to other chunks. Writes are not fsync'd: the
 * Raft log is the durable record until {@link #sync()} runs (before a snapshot is taken).
 */
public final class ChunkStore implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(ChunkStore.class);

    private final Path chunksDir;
    private final ChunkFilePool pool;
    private final ChunkLayout layout;
    private final Map<Long, ChunkFile> chunks = new ConcurrentHashMap<>();
    private final Set<ChunkFile> dirty = ConcurrentHashMap.newKeySet();
    private final Lock mutation = new ReentrantLock();
    private final LongAdder bytesWritten = new LongAdder();

    /** Opens the store, creating {@code <copysetDir>/chunks} if needed and loading the chunks in it. */
    public ChunkStore(Path copysetDir, ChunkFilePool pool, long chunkSize) {
        this.layout = ChunkLayout.of(chunkSize);
        if (pool.chunkSize() != chunkSize) {
            throw new IllegalArgumentException("chunk store for " + copysetDir + " uses chunk size " + chunkSize
                    + " but its pool " + pool.dir() + " holds " + pool.chunkSize() + "-byte chunks: use one size");
        }
        this.pool = pool;
        this.chunksDir = copysetDir.resolve("chunks");
        try {
            Files.createDirectories(chunksDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + chunksDir, e);
        }
        load();
    }

    /** Writes whole 4 KiB pages of {@code data} at {@code offset}, creating the chunk on first write. */
    public void write(long chunkId, long offset, ByteBuffer data, long sequence) {
        checkId(chunkId);
        checkRange("write", offset, data.remaining());
        mutation.lock();
        try {
            ChunkFile chunk = chunks.get(chunkId);
            if (chunk == null) {
                Path file = fileOf(chunkId);
                // A file here that is not a loaded chunk was taken by an earlier attempt of this same write that
                // failed before opening it (the apply is retried after IO errors): use it instead of another.
                if (!Files.exists(file)) {
                    pool.take(file);
                }
                chunk = ChunkFile.create(chunkId, file, layout);
                chunks.put(chunkId, chunk);
            }
            chunk.lock().writeLock().lock();
            try {
                chunk.write(offset, data, sequence);
            } finally {
                chunk.lock().writeLock().unlock();
            }
            dirty.add(chunk);
            bytesWritten.add(data.remaining());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chunk " + chunkId + " at " + offset, e);
        } finally {
            mutation.unlock();
        }
    }

    /** Reads {@code length} bytes at {@code offset}; never-written pages and absent chunks read as zeros. */
    public ByteBuffer read(long chunkId, long offset, int length) {
        checkId(chunkId);
        checkRange("read", offset, length);
        ByteBuffer out = ByteBuffer.allocate(length);
        while (true) {
            ChunkFile chunk = chunks.get(chunkId);
            if (chunk == null) {
                return out;
            }
            chunk.lock().readLock().lock();
            try {
                // Closed means deleted or replaced by reload() after we looked it up: look again.
                if (!chunk.closed()) {
                    chunk.read(offset, out.duplicate());
                    return out;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read chunk " + chunkId + " at " + offset, e);
            } finally {
                chunk.lock().readLock().unlock();
            }
        }
    }

    /**
     * What a scrub needs from this replica for {@code length} bytes at {@code offset}: the chunk's sequence and, per
     * page, its stored checksum after checking the bytes against it ({@link ChunkFile#UNWRITTEN},
     * {@link ChunkFile#CORRUPT} otherwise). Holds the chunk's read lock for one range only, like a read.
     */
    public PageChecksums scrub(long chunkId, long offset, int length) {
        return scrub(chunkId, offset, length, null);
    }

    /** As above, also filling {@code bytes} (if not null) with the range as stored, checked or not. */
    public PageChecksums scrub(long chunkId, long offset, int length, ByteBuffer bytes) {
        checkId(chunkId);
        checkRange("scrub", offset, length);
        long[] checksums = new long[length / ChunkLayout.PAGE];
        while (true) {
            ChunkFile chunk = chunks.get(chunkId);
            if (chunk == null) {
                java.util.Arrays.fill(checksums, ChunkFile.UNWRITTEN);
                return new PageChecksums(0, checksums);
            }
            chunk.lock().readLock().lock();
            try {
                if (!chunk.closed()) {
                    chunk.scrub(offset, bytes == null ? ByteBuffer.allocate(length) : bytes.duplicate(), checksums);
                    return new PageChecksums(chunk.stat().sequence(), checksums);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scrub chunk " + chunkId + " at " + offset, e);
            } finally {
                chunk.lock().readLock().unlock();
            }
        }
    }

    /** Chunk ids held by this replica, ascending. */
    public List<Long> chunkIds() {
        List<Long> ids = new ArrayList<>(chunks.keySet());
        ids.sort(null);
        return ids;
    }

    /** Deletes a chunk and returns its file to the pool; false if the chunk did not exist. */
    public boolean delete(long chunkId) {
        checkId(chunkId);
        mutation.lock();
        try {
            ChunkFile chunk = chunks.remove(chunkId);
            if (chunk == null) {
                return false;
            }
            closeChunk(chunk);
            try {
                pool.recycle(chunk.path());
            } catch (RuntimeException e) {
                restore(chunkId, chunk.path(), e);
                throw e;
            }
            return true;
        } finally {
            mutation.unlock();
        }
    }

    /**
     * Puts back a chunk whose delete failed, so a retried delete finds it as before. If the failure came after
     * its meta area was cleared, the chunk is already gone in effect, and its file goes back to the pool at the
     * next load.
     */
    private void restore(long chunkId, Path file, RuntimeException failure) {
        try {
            ChunkFile again = ChunkFile.load(chunkId, file, layout);
            if (again != null) {
                chunks.put(chunkId, again);
                dirty.add(again); // closing it dropped it from the set the next sync() makes durable
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Describes a chunk, or reports it absent. */
    public ChunkMeta stat(long chunkId) {
        checkId(chunkId);
        while (true) {
            ChunkFile chunk = chunks.get(chunkId);
            if (chunk == null) {
                return ChunkMeta.absent(chunkId, layout.chunkSize());
            }
            chunk.lock().readLock().lock();
            try {
                if (!chunk.closed()) {
                    return chunk.stat();
                }
            } finally {
                chunk.lock().readLock().unlock();
            }
        }
    }

    /** Makes every write so far durable: fdatasync of each chunk written since the last sync, then the directory. */
    public void sync() {
        mutation.lock();
        try {
            for (ChunkFile chunk : List.copyOf(dirty)) {
                chunk.sync();
                dirty.remove(chunk);
            }
            // New chunk files arrived by rename and deleted ones left by rename: make both durable.
            DirectorySync.sync(chunksDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync chunks in " + chunksDir, e);
        } finally {
            mutation.unlock();
        }
    }

    /** Every chunk file, sorted by chunk id; Raft snapshots list these in place instead of copying them. */
    public List<Path> files() {
        List<Long> ids = chunkIds();
        List<Path> files = new ArrayList<>(ids.size());
        for (long id : ids) {
            files.add(fileOf(id));
        }
        return files;
    }

    /** The directory holding this copyset's chunk files. */
    public Path chunksDir() {
        return chunksDir;
    }

    /** Forgets the open chunks and re-scans the directory, after a leader's snapshot replaced the files. */
    public void reload() {
        mutation.lock();
        try {
            closeAll();
            load();
            // Files that arrived with a snapshot may not be durable yet; the next sync() covers them.
            dirty.addAll(chunks.values());
        } finally {
            mutation.unlock();
        }
    }

    /** Data bytes written since this store was opened. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Syncs and closes every chunk file. */
    @Override
    public void close() {
        mutation.lock();
        try {
            sync();
            closeAll();
        } finally {
            mutation.unlock();
        }
    }

    private void load() {
        int blank = 0;
        try (Stream<Path> entries = Files.list(chunksDir)) {
            for (Path file : (Iterable<Path>) entries::iterator) {
                long chunkId = parseId(file);
                ChunkFile chunk = ChunkFile.load(chunkId, file, layout);
                if (chunk == null) {
                    // Taken from or going back to the pool when the process died, before any meta write.
                    pool.recycle(file);
                    blank++;
                } else {
                    chunks.put(chunkId, chunk);
                }
            }
        } catch (IOException e) {
            closeAll();
            throw new UncheckedIOException("cannot list chunks in " + chunksDir, e);
        } catch (RuntimeException e) {
            closeAll();
            throw e;
        }
        log.info("event=chunk_store_loaded dir={} chunks={} blankRecycled={}", chunksDir, chunks.size(), blank);
    }

    private void closeAll() {
        for (ChunkFile chunk : chunks.values()) {
            closeChunk(chunk);
        }
        chunks.clear();
        dirty.clear();
    }

    private void closeChunk(ChunkFile chunk) {
        dirty.remove(chunk);
        chunk.lock().writeLock().lock();
        try {
            chunk.close();
        } finally {
            chunk.lock().writeLock().unlock();
        }
    }

    /** The file of a chunk, whether it exists or not. */
    public Path fileOf(long chunkId) {
        return chunksDir.resolve(Long.toString(chunkId));
    }

    private static long parseId(Path file) {
        String name = file.getFileName().toString();
        try {
            long id = Long.parseLong(name);
            if (id >= 0 && Long.toString(id).equals(name)) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the error below, which names the file.
        }
        throw new IllegalStateException("unexpected file " + file + " in a chunk directory (names must be"
                + " decimal chunk ids): move it elsewhere");
    }

    private static void checkId(long chunkId) {
        if (chunkId < 0) {
            throw CamberException.invalid("chunk id " + chunkId + " is negative: chunk ids are 0 or more");
        }
    }

    private void checkRange(String op, long offset, long length) {
        long size = layout.chunkSize();
        int page = ChunkLayout.PAGE;
        if (offset < 0 || length <= 0 || offset % page != 0 || length % page != 0 || offset > size - length) {
            throw CamberException.invalid(op + " of " + length + " bytes at offset " + offset + " is not allowed:"
                    + " offset and length must be multiples of " + page + ", length positive, and the range"
                    + " inside the chunk [0, " + size + ")");
        }
    }
}
