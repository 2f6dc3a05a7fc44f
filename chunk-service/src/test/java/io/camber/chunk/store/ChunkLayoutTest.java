package io.camber.chunk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChunkLayoutTest {
    @Test
    void twoMetaSlotsAndAChecksumPerPage() {
        // 16 MiB: two 4 KiB slots and 4096 pages x 4 bytes of checksums.
        assertThat(ChunkLayout.of(16L << 20)).isEqualTo(new ChunkLayout(16L << 20, 4096, 8192 + 16384, 4096, 512));
        assertThat(ChunkLayout.of(64L << 20).slotSize()).isEqualTo(4096);
        assertThat(ChunkLayout.of(128L << 20).slotSize()).isEqualTo(8192);
        assertThat(ChunkLayout.of(1L << 30)).isEqualTo(new ChunkLayout(1L << 30, 36864, 2 * 36864 + (1 << 20),
                262144, 32768));
        assertThat(ChunkLayout.of(16L << 20).fileSize()).isEqualTo((16L << 20) + 24576);
        assertThat(ChunkLayout.of(16L << 20).crcOffset(1)).isEqualTo(8196);
        assertThatThrownBy(() -> ChunkLayout.of(2L << 30)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multiPageMetaRoundTripsAndDetectsABitFlip() {
        ChunkLayout layout = ChunkLayout.of(128L << 20);
        long[] bitmap = new long[layout.pages() / 64];
        bitmap[0] = 0b1011;
        bitmap[bitmap.length - 1] = Long.MIN_VALUE; // the very last page, mapped on the second meta page
        ByteBuffer buf = ByteBuffer.allocate(layout.slotSize());
        MetaPage.encode(buf, layout, 42, 77, 5, bitmap);

        MetaPage.Content content = MetaPage.decode(buf, layout, Path.of("42"), 42);
        assertThat(content.sequence()).isEqualTo(77);
        assertThat(content.generation()).isEqualTo(5);
        assertThat(content.bitmap()).isEqualTo(bitmap);

        buf.put(ChunkLayout.HEADER + layout.bitmapBytes() - 1, (byte) 0);
        assertThatThrownBy(() -> MetaPage.decode(buf, layout, Path.of("42"), 42))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("checksum");
    }
}
