package io.camber.chunk.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open chunk file with its in-memory bitmap and sequence. Callers hold {@link #lock()}: the read
 * lock to read, the write lock to write or close, so a reader never sees a bitmap bit before its data.
 *
 * <p>Every written page has its CRC32C in the file's checksum table, written with the page and checked on
 * every read: a page whose bytes no longer match is reported ({@link CorruptPagesException}), never returned.
 * Neither data nor checksums are fsync'd per write; after a crash the Raft log replays every write since the
 * last {@link #sync()}, rewriting a page and its checksum together, so a crash cannot leave a mismatch behind.
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
    private long generation;
    private boolean metaSynced;
    private int writtenPages;
    private boolean closed;

    private ChunkFile(long chunkId, Path path, ChunkLayout layout, FileChannel channel, long sequence,
            long generation, long[] bitmap) {
        this.chunkId = chunkId;
        this.path = path;
        this.layout = layout;
        this.channel = channel;
        this.sequence = sequence;
        this.generation = generation;
        this.bitmap = bitmap;
        this.metaBuf = ByteBuffer.allocate(layout.slotSize());
        for (long word : bitmap) {
            writtenPages += Long.bitCount(word);
        }
    }

    /** Opens a file just taken from the pool; its meta area is zero, so it starts with nothing written. */
    static ChunkFile create(long chunkId, Path path, ChunkLayout layout) {
        return new ChunkFile(chunkId, path, layout, open(path), 0, 0, new long[(layout.pages() + 63) / 64]);
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
            ByteBuffer slot0 = ByteBuffer.allocate(layout.slotSize());
            ByteBuffer slot1 = ByteBuffer.allocate(layout.slotSize());
            readFully(channel, slot0, layout.slotOffset(0), path);
            readFully(channel, slot1, layout.slotOffset(1), path);
            MetaPage.Content content = MetaPage.newest(slot0.flip(), slot1.flip(), layout, path, chunkId);
            if (content == null) {
                channel.close();
                return null;
            }
            return new ChunkFile(chunkId, path, layout, channel, content.sequence(), content.generation(),
                    content.bitmap());
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

    /** Writes whole pages at {@code offset}, their checksums, then a meta slot; caller holds the write lock. */
    void write(long offset, ByteBuffer data, long seq) throws IOException {
        long pos = layout.metaSize() + offset;
        ByteBuffer src = data.duplicate();
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
        int first = (int) (offset / ChunkLayout.PAGE);
        int count = data.remaining() / ChunkLayout.PAGE;
        ByteBuffer crcs = ByteBuffer.allocate(count * ChunkLayout.CRC_BYTES);
        for (int p = 0; p < count; p++) {
            crcs.putInt(crcOf(data, p * ChunkLayout.PAGE));
        }
        writeFully(crcs.flip(), layout.crcOffset(first));
        for (int p = first; p < first + count; p++) {
            long bit = 1L << p;
            if ((bitmap[p >>> 6] & bit) == 0) {
                bitmap[p >>> 6] |= bit;
                writtenPages++;
            }
        }
        sequence = Math.max(sequence, seq);
        writeMeta();
        metaSynced = false;
    }

    /**
     * Writes the meta into the slot the previous write did not use. One positional write: a process crash never
     * leaves half of it; a power loss may tear it, and then the other slot, one write older, is loaded.
     */
    private void writeMeta() throws IOException {
        generation++;
        MetaPage.encode(metaBuf, layout, chunkId, sequence, generation, bitmap);
        writeFully(metaBuf, layout.slotOffset((int) (generation & 1)));
    }

    private void writeFully(ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
    }

    private static int crcOf(ByteBuffer data, int from) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate().position(data.position() + from).limit(data.position() + from + ChunkLayout.PAGE));
        return (int) crc.getValue();
    }

    /**
     * Reads whole pages into {@code out}, leaving never-written pages zero, and checks each written page against its
     * checksum; caller holds the read lock.
     *
     * @throws CorruptPagesException naming every page of the range that fails its checksum
     */
    void read(long offset, ByteBuffer out) throws IOException {
        List<Integer> bad = readUnchecked(offset, out, null);
        if (!bad.isEmpty()) {
            throw new CorruptPagesException(chunkId, bad);
        }
    }

    /**
     * Like {@link #read} but reports instead of throwing: fills {@code checksums} (one per page of the range) with
     * the stored checksum of each written page, {@link #UNWRITTEN} for a never-written one, {@link #CORRUPT} for a
     * page whose bytes no longer match it. Caller holds the read lock.
     */
    void scrub(long offset, ByteBuffer out, long[] checksums) throws IOException {
        readUnchecked(offset, out, checksums);
    }

    /** Stands in a scrub for a page that was never written (it reads as zeros). */
    static final long UNWRITTEN = -1;
    /** Stands in a scrub for a page whose bytes fail their checksum. */
    static final long CORRUPT = -2;

    private List<Integer> readUnchecked(long offset, ByteBuffer out, long[] checksums) throws IOException {
        int first = (int) (offset / ChunkLayout.PAGE);
        int count = out.remaining() / ChunkLayout.PAGE;
        int base = out.position();
        List<Integer> bad = new ArrayList<>(0);
        int p = 0;
        while (p < count) {
            if (!written(first + p)) {
                if (checksums != null) {
                    checksums[p] = UNWRITTEN;
                }
                p++;
                continue;
            }
            // Coalesce a run of written pages into one pread instead of one call per 4 KiB.
            int run = p;
            while (run < count && written(first + run)) {
                run++;
            }
            ByteBuffer slice = out.duplicate().position(base + p * ChunkLayout.PAGE).limit(base + run * ChunkLayout.PAGE);
            readFully(channel, slice, layout.metaSize() + offset + (long) p * ChunkLayout.PAGE, path);
            ByteBuffer stored = ByteBuffer.allocate((run - p) * ChunkLayout.CRC_BYTES);
            readFully(channel, stored, layout.crcOffset(first + p), path);
            for (int q = p; q < run; q++) {
                int expected = stored.getInt((q - p) * ChunkLayout.CRC_BYTES);
                boolean ok = crcOf(out, q * ChunkLayout.PAGE) == expected; // crcOf adds out's position
                if (!ok) {
                    bad.add(first + q);
                }
                if (checksums != null) {
                    checksums[q] = ok ? expected & 0xFFFFFFFFL : CORRUPT;
                }
            }
            p = run;
        }
        return bad;
    }

    ChunkMeta stat() {
        return new ChunkMeta(chunkId, true, layout.chunkSize(), sequence, writtenPages);
    }

    /**
     * Makes the file durable. The meta goes into the other slot first, so both slots hold the synced state: a torn
     * meta write after this falls back to a slot at least as new as the sync, which the log replays on from.
     */
    void sync() throws IOException {
        if (!metaSynced) {
            writeMeta();
            metaSynced = true;
        }
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
