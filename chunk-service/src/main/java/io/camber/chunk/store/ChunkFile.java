package io.camber.chunk.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open chunk file with its in-memory bitmap and sequence. Callers hold {@link #lock()}: the read
 * lock to read, the write lock to write or close, so a reader never sees a bitmap bit before its data.
 */
final class ChunkFile {
    private final long chunkId;
    private final Path path;
    private final ChunkLayout layout;
    private final FileChannel channel;
    private final long[] bitmap;
    private final ByteBuffer metaBuf;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long sequence;
    private int writtenPages;
    private boolean closed;

    private ChunkFile(long chunkId, Path path, ChunkLayout layout, FileChannel channel, long sequence, long[] bitmap) {
        this.chunkId = chunkId;
        this.path = path;
        this.layout = layout;
        this.channel = channel;
        this.sequence = sequence;
        this.bitmap = bitmap;
        this.metaBuf = ByteBuffer.allocate(layout.metaSize());
        for (long word : bitmap) {
            writtenPages += Long.bitCount(word);
        }
    }

    /** Opens a file just taken from the pool; its meta area is zero, so it starts with nothing written. */
    static ChunkFile create(long chunkId, Path path, ChunkLayout layout) {
        return new ChunkFile(chunkId, path, layout, open(path), 0, new long[(layout.pages() + 63) / 64]);
    }

    /**
     * Opens an existing chunk file, or returns null when its meta area is blank: a pool file taken or
     * recycled just before a crash, which holds no chunk yet.
     */
    static ChunkFile load(long chunkId, Path path, ChunkLayout layout) {
        FileChannel channel = open(path);
        try {
            long size = channel.size();
            if (size != layout.fileSize()) {
                throw new IllegalStateException("corrupt chunk file " + path + ": " + size + " bytes, expected "
                        + layout.fileSize() + " for chunk size " + layout.chunkSize());
            }
            ByteBuffer meta = ByteBuffer.allocate(layout.metaSize());
            readFully(channel, meta, 0, path);
            if (MetaPage.isBlank(meta)) {
                channel.close();
                return null;
            }
            MetaPage.Content content = MetaPage.decode(meta, layout, path, chunkId);
            return new ChunkFile(chunkId, path, layout, channel, content.sequence(), content.bitmap());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot read chunk file " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    ReadWriteLock lock() {
        return lock;
    }

    Path path() {
        return path;
    }

    boolean closed() {
        return closed;
    }

    /** Writes whole pages at {@code offset}, then the meta area; caller holds the write lock. */
    void write(long offset, ByteBuffer data, long seq) throws IOException {
        long pos = layout.metaSize() + offset;
        ByteBuffer src = data.duplicate();
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
        int first = (int) (offset / ChunkLayout.PAGE);
        int count = data.remaining() / ChunkLayout.PAGE;
        for (int p = first; p < first + count; p++) {
            long bit = 1L << p;
            if ((bitmap[p >>> 6] & bit) == 0) {
                bitmap[p >>> 6] |= bit;
                writtenPages++;
            }
        }
        sequence = Math.max(sequence, seq);
        // One positional write of the whole meta area: a process crash can never leave half a header.
        MetaPage.encode(metaBuf, layout, chunkId, sequence, bitmap);
        while (metaBuf.hasRemaining()) {
            channel.write(metaBuf, metaBuf.position());
        }
    }

    /** Reads whole pages into {@code out}, leaving never-written pages zero; caller holds the read lock. */
    void read(long offset, ByteBuffer out) throws IOException {
        int first = (int) (offset / ChunkLayout.PAGE);
        int count = out.remaining() / ChunkLayout.PAGE;
        int p = 0;
        while (p < count) {
            if (!written(first + p)) {
                p++;
                continue;
            }
            // Coalesce a run of written pages into one pread instead of one call per 4 KiB.
            int run = p;
            while (run < count && written(first + run)) {
                run++;
            }
            ByteBuffer slice = out.duplicate().position(p * ChunkLayout.PAGE).limit(run * ChunkLayout.PAGE);
            readFully(channel, slice, layout.metaSize() + offset + (long) p * ChunkLayout.PAGE, path);
            p = run;
        }
    }

    ChunkMeta stat() {
        return new ChunkMeta(chunkId, true, layout.chunkSize(), sequence, writtenPages);
    }

    void sync() throws IOException {
        // fdatasync is enough: the file is preallocated, so its size and extents never change.
        channel.force(false);
    }

    /** Closes the channel; caller holds the write lock so no reader is mid-pread. */
    void close() {
        closed = true;
        closeQuietly(channel);
    }

    private boolean written(int page) {
        return (bitmap[page >>> 6] & (1L << page)) != 0;
    }

    private static FileChannel open(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open chunk file " + path, e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long pos, Path path) throws IOException {
        long at = pos;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new IllegalStateException("chunk file " + path + " is shorter than its layout: EOF at " + at);
            }
            at += n;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do: the file was only read or its writes are already in the page cache.
        }
    }
}
