package io.camber.client.nbd;

import io.camber.client.block.BlockDevice;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A byte-array block device for protocol tests; an operation at an offset with a hold completes only once the
 * hold does, and one with a failure fails, so tests can force out-of-order completion and device errors.
 */
final class MemoryBlockDevice implements BlockDevice {
    private final byte[] bytes;
    private final boolean readOnly;
    final Map<Long, CompletableFuture<Void>> holds = new ConcurrentHashMap<>();
    final Map<Long, RuntimeException> failures = new ConcurrentHashMap<>();
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    /** When set, every read, write and zeroing completes only once this does. */
    volatile CompletableFuture<Void> holdAll;

    MemoryBlockDevice(int size, boolean readOnly) {
        this.bytes = new byte[size];
        this.readOnly = readOnly;
    }

    byte[] snapshot(int offset, int length) {
        synchronized (bytes) {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }
    }

    void fill(int offset, byte[] data) {
        synchronized (bytes) {
            System.arraycopy(data, 0, bytes, offset, data.length);
        }
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        return at(offset, () -> ByteBuffer.wrap(snapshot((int) offset, length)));
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return at(offset, () -> {
            fill((int) offset, copy);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        flushes.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> trim(long offset, long length) {
        return writeZeroes(offset, length);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length) {
        return at(offset, () -> {
            fill((int) offset, new byte[(int) length]);
            return null;
        });
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    private <T> CompletableFuture<T> at(long offset, Supplier<T> operation) {
        started.incrementAndGet();
        CompletableFuture<Void> all = holdAll;
        if (all != null) {
            return all.thenCompose(v -> at0(offset, operation));
        }
        return at0(offset, operation);
    }

    private <T> CompletableFuture<T> at0(long offset, Supplier<T> operation) {
        RuntimeException failure = failures.get(offset);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        CompletableFuture<Void> hold = holds.get(offset);
        if (hold == null) {
            return CompletableFuture.completedFuture(operation.get());
        }
        return hold.thenApply(v -> operation.get());
    }
}
