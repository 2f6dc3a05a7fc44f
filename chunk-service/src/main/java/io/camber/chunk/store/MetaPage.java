package io.camber.chunk.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Encodes and validates the meta area at the head of a chunk file.
 *
 * <pre>
 * offset size field
 *      0    4 magic 0x434D4348 ("CMCH")
 *      4    4 version (1)
 *      8    8 chunk id
 *     16    8 chunk size (data bytes)
 *     24    8 sequence (highest applied)
 *     32    4 meta size (bytes before the data, a multiple of 4096)
 *     36    4 bitmap bytes (chunk size / 4096 / 8)
 *     40    4 CRC32C of bytes [0, 40) followed by the bitmap
 *     44   20 reserved, zero
 *     64    n written-page bitmap, bit (p % 8) of byte (p / 8) set once page p was written
 * </pre>
 * All integers are big-endian. An all-zero meta area means "no chunk yet" (a fresh or recycled pool file).
 */
final class MetaPage {
    static final int MAGIC = 0x434D4348;
    static final int VERSION = 1;
    private static final int CRC_OFFSET = 40;

    private MetaPage() {
    }

    /** Decoded, validated content of a meta area. */
    record Content(long chunkId, long sequence, long[] bitmap) {
    }

    static void encode(ByteBuffer buf, ChunkLayout layout, long chunkId, long sequence, long[] bitmap) {
        buf.clear().order(ByteOrder.BIG_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putLong(chunkId).putLong(layout.chunkSize()).putLong(sequence)
                .putInt(layout.metaSize()).putInt(layout.bitmapBytes()).putInt(0);
        while (buf.position() < ChunkLayout.HEADER) {
            buf.put((byte) 0);
        }
        for (int i = 0; i < layout.bitmapBytes(); i++) {
            buf.put((byte) (bitmap[i >>> 3] >>> ((i & 7) * 8)));
        }
        buf.putInt(CRC_OFFSET, crc(buf, layout));
        buf.position(0).limit(layout.metaSize());
    }

    static boolean isBlank(ByteBuffer buf) {
        for (int i = 0; i < buf.limit(); i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    static Content decode(ByteBuffer buf, ChunkLayout layout, Path file, long expectedId) {
        buf.order(ByteOrder.BIG_ENDIAN);
        check(buf.getInt(0) == MAGIC, file, "bad magic 0x" + Integer.toHexString(buf.getInt(0)));
        check(buf.getInt(4) == VERSION, file, "unsupported version " + buf.getInt(4));
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
        return new Content(chunkId, buf.getLong(24), bitmap);
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
