package io.camber.client.fs;

import io.camber.client.block.BlockDevice;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A huge block device in memory, holding only the 4 KiB pages written: never-written pages read as zeros. */
final class SparseMemoryVolume implements BlockDevice {
    private static final int PAGE = 4096;
    private final Map<Long, byte[]> pages = new ConcurrentHashMap<>();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();

    @Override
    public long size() {
        return 1L << 50;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public synchronized CompletableFuture<ByteBuffer> read(long offset, int length) {
        check(offset, length);
        ByteBuffer out = ByteBuffer.allocate(length);
        for (int done = 0; done < length; ) {
            long at = offset + done;
            byte[] page = pages.get(at / PAGE);
            int in = (int) (at % PAGE);
            int n = Math.min(PAGE - in, length - done);
            if (page != null) {
                out.put(done, page, in, n);
            }
            done += n;
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized CompletableFuture<Void> write(long offset, ByteBuffer data) {
        check(offset, data.remaining());
        writes.incrementAndGet();
        bytesWritten.addAndGet(data.remaining());
        for (int done = 0; done < data.remaining(); ) {
            long at = offset + done;
            byte[] page = pages.computeIfAbsent(at / PAGE, p -> new byte[PAGE]);
            int in = (int) (at % PAGE);
            int n = Math.min(PAGE - in, data.remaining() - done);
            data.get(data.position() + done, page, in, n);
            done += n;
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Fills a whole page with a byte, as a file's earlier contents left it. */
    synchronized void stain(long pageOffset, byte value) {
        byte[] page = new byte[PAGE];
        java.util.Arrays.fill(page, value);
        pages.put(pageOffset / PAGE, page);
    }

    private static void check(long offset, int length) {
        if (offset % SECTOR != 0 || length % SECTOR != 0) {
            throw new IllegalArgumentException("unaligned IO at " + offset + "+" + length);
        }
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        throw new UnsupportedOperationException("files never trim");
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length) {
        throw new UnsupportedOperationException("files never write zeroes this way");
    }

    @Override
    public void close() {
    }
}
