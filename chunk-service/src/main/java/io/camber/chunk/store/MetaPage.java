package io.camber.chunk.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Encodes and validates one meta slot at the head of a chunk file (see {@link ChunkLayout}).
 *
 * <pre>
 * offset size field
 *      0    4 magic 0x434D4348 ("CMCH")
 *      4    4 format version (2)
 *      8    8 chunk id
 *     16    8 chunk size (data bytes)
 *     24    8 sequence (highest applied)
 *     32    4 meta size (bytes before the data, a multiple of 4096)
 *     36    4 bitmap bytes (chunk size / 4096 / 8)
 *     40    8 generation: +1 on every meta write; the valid slot with the higher one wins
 *     48   12 reserved, zero
 *     60    4 CRC32C of bytes [0, 60) followed by the bitmap
 *     64    n written-page bitmap, bit (p % 8) of byte (p / 8) set once page p was written
 * </pre>
 * All integers are big-endian. An all-zero slot means "never written" (a fresh or recycled pool file).
 */
final class MetaPage {
    static final int MAGIC = 0x434D4348;
    static final int VERSION = 2;
    private static final int GENERATION_OFFSET = 40;
    private static final int CRC_OFFSET = 60;

    private MetaPage() {
    }

    /** Decoded, validated content of a meta slot. */
    record Content(long chunkId, long sequence, long generation, long[] bitmap) {
    }

    static void encode(ByteBuffer buf, ChunkLayout layout, long chunkId, long sequence, long generation,
            long[] bitmap) {
        buf.clear().order(ByteOrder.BIG_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putLong(chunkId).putLong(layout.chunkSize()).putLong(sequence)
                .putInt(layout.metaSize()).putInt(layout.bitmapBytes()).putLong(generation);
        while (buf.position() < ChunkLayout.HEADER) {
            buf.put((byte) 0);
        }
        for (int i = 0; i < layout.bitmapBytes(); i++) {
            buf.put((byte) (bitmap[i >>> 3] >>> ((i & 7) * 8)));
        }
        buf.putInt(CRC_OFFSET, crc(buf, layout));
        buf.position(0).limit(layout.slotSize());
    }

    static boolean isBlank(ByteBuffer buf) {
        for (int i = 0; i < buf.limit(); i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The newer valid one of the two slots, or null when both are blank or the only written one is torn (no chunk yet). One invalid slot next to a
     * valid one is a meta write torn by a crash: the valid slot is one write older and the log replays the rest.
     */
    static Content newest(ByteBuffer slot0, ByteBuffer slot1, ChunkLayout layout, Path file, long expectedId) {
        if (isBlank(slot0) && isBlank(slot1)) {
            return null;
        }
        Content best = null;
        IllegalStateException problem = null;
        for (ByteBuffer slot : new ByteBuffer[] {slot0, slot1}) {
            if (isBlank(slot)) {
                continue;
            }
            try {
                Content c = decode(slot, layout, file, expectedId);
                if (best == null || c.generation() > best.generation()) {
                    best = c;
                }
            } catch (IllegalStateException e) {
                problem = e;
            }
        }
        if (best == null && (isBlank(slot0) || isBlank(slot1))) {
            // The first meta write of a new chunk was torn: no sync came after it (a sync writes the other slot), so
            // the write is still in the Raft log and replays into a fresh chunk.
            return null;
        }
        if (best == null) {
            throw problem;
        }
        return best;
    }

    static Content decode(ByteBuffer buf, ChunkLayout layout, Path file, long expectedId) {
        buf.order(ByteOrder.BIG_ENDIAN);
        check(buf.getInt(0) == MAGIC, file, "bad magic 0x" + Integer.toHexString(buf.getInt(0)));
        check(buf.getInt(4) == VERSION, file, "unsupported format version " + buf.getInt(4) + " (this release reads "
                + VERSION + ")");
        check(buf.getInt(CRC_OFFSET) == crc(buf, layout), file, "meta page checksum mismatch");
        long chunkId = buf.getLong(8);
        check(chunkId == expectedId, file, "meta page names chunk " + chunkId + " but the file name says "
                + expectedId);
        check(buf.getLong(16) == layout.chunkSize(), file, "chunk size " + buf.getLong(16)
                + " differs from the store's " + layout.chunkSize());
        check(buf.getInt(32) == layout.metaSize() && buf.getInt(36) == layout.bitmapBytes(), file,
                "meta size " + buf.getInt(32) + "/bitmap " + buf.getInt(36) + " differ from the expected "
                        + layout.metaSize() + "/" + layout.bitmapBytes());
        long[] bitmap = new long[(layout.pages() + 63) / 64];
        for (int i = 0; i < layout.bitmapBytes(); i++) {
            bitmap[i >>> 3] |= (buf.get(ChunkLayout.HEADER + i) & 0xFFL) << ((i & 7) * 8);
        }
        return new Content(chunkId, buf.getLong(24), buf.getLong(GENERATION_OFFSET), bitmap);
    }

    private static int crc(ByteBuffer buf, ChunkLayout layout) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().position(0).limit(CRC_OFFSET));
        crc.update(buf.duplicate().position(ChunkLayout.HEADER).limit(ChunkLayout.HEADER + layout.bitmapBytes()));
        return (int) crc.getValue();
    }

    private static void check(boolean ok, Path file, String problem) {
        if (!ok) {
            throw new IllegalStateException("corrupt chunk file " + file + ": " + problem
                    + "; restore this copyset replica from a peer (remove it and let recovery re-create it)");
        }
    }
}
