package io.camber.client.fs;

import io.camber.client.block.BlockDevice;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Bytes at any offset of the data volume, over a block device that takes whole sectors: reads are widened to
 * sectors and cut back, and sent in pieces of at most {@link #PIECE} so one large read is not one huge request.
 */
final class VolumeBytes {
    /** Largest single read sent to the volume. */
    static final int PIECE = 1 << 20;

    private final BlockDevice volume;

    VolumeBytes(BlockDevice volume) {
        this.volume = volume;
    }

    /** length bytes at offset of the volume. */
    CompletableFuture<ByteBuffer> read(long offset, int length) {
        long from = floor(offset);
        long to = ceil(offset + length);
        ByteBuffer whole = ByteBuffer.allocate((int) (to - from));
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long at = from; at < to; at += PIECE) {
            int piece = (int) Math.min(PIECE, to - at);
            int into = (int) (at - from);
            parts.add(volume.read(at, piece).thenAccept(b -> whole.put(into, b, b.position(), piece)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(x -> whole.slice((int) (offset - from), length));
    }

    /** Writes data at a sector-aligned offset; its length is whole sectors too (the writer composes whole blocks). */
    CompletableFuture<Void> write(long offset, ByteBuffer data) {
        if (offset % BlockDevice.SECTOR != 0 || data.remaining() % BlockDevice.SECTOR != 0) {
            throw new IllegalArgumentException("volume write at " + offset + "+" + data.remaining()
                    + " is not sector-aligned: compose whole blocks first");
        }
        return volume.write(offset, data);
    }

    private static long floor(long offset) {
        return offset - offset % BlockDevice.SECTOR;
    }

    private static long ceil(long offset) {
        return floor(offset + BlockDevice.SECTOR - 1);
    }
}
