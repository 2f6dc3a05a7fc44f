package io.camber.client.fs;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Small writes of one handle gathered into one run of bytes, so a stream of 4 KiB writes costs one allocation and
 * one size update per few MiB instead of one each. Takes a write that overlaps or directly follows what it holds
 * while the run stays within the capacity; anything else is for the caller to send first. Not thread-safe: the
 * handle guards it.
 */
final class WriteBuffer {
    private final int capacity;
    private byte[] bytes = new byte[0];
    private long start;
    private int length;

    /** A run of bytes taken out of the buffer, to be written at offset. */
    record Run(long offset, ByteBuffer data) {
    }

    WriteBuffer(int capacity) {
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return length == 0;
    }

    boolean isFull() {
        return length >= capacity;
    }

    /** Bytes the buffer would hold more after taking the write, or -1 when it cannot take it. */
    long growthFor(long offset, int count) {
        long runStart = length == 0 ? offset : start;
        if (length > 0 && (offset < start || offset > start + length)) {
            return -1;
        }
        long runEnd = Math.max(runStart + length, offset + count);
        if (runEnd - runStart > capacity) {
            return -1;
        }
        return runEnd - runStart - length;
    }

    /** Copies the write in; the caller has checked {@link #growthFor}. */
    void put(long offset, ByteBuffer data) {
        if (length == 0) {
            start = offset;
        }
        int at = (int) (offset - start);
        int end = at + data.remaining();
        if (end > bytes.length) {
            // Grows by doubling: a handle that writes a few bytes holds a few bytes, not the whole capacity.
            bytes = Arrays.copyOf(bytes, Math.min(capacity, Math.max(end, Math.max(4096, bytes.length * 2))));
        }
        data.duplicate().get(bytes, at, data.remaining());
        length = Math.max(length, end);
    }

    /** What the buffer holds, emptying it; null when empty. */
    Run take() {
        if (length == 0) {
            return null;
        }
        Run run = new Run(start, ByteBuffer.wrap(bytes, 0, length).slice());
        bytes = new byte[0];
        length = 0;
        return run;
    }

    /** Bytes held (for the mount's budget). */
    int length() {
        return length;
    }
}
