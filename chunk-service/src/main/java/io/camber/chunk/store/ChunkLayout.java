package io.camber.chunk.store;

/**
 * The on-disk shape of a chunk file for one chunk size: a meta area (header plus written-page bitmap,
 * rounded up to whole 4 KiB pages) followed by {@code chunkSize} data bytes.
 *
 * <p>For chunks up to 64 MiB the meta area is exactly one 4 KiB page, the Curve layout. Larger chunks
 * need a bitmap that no longer fits beside the header, so they reserve more meta pages instead of
 * capping the chunk size.
 */
public record ChunkLayout(long chunkSize, int metaSize, int pages, int bitmapBytes) {
    /** Size of an IO page and of one meta page. */
    public static final int PAGE = 4096;
    /** Smallest chunk: below this the meta page would outweigh the data it describes. */
    public static final long MIN_CHUNK_SIZE = 64 * 1024;
    /** Largest chunk: keeps the per-chunk bitmap held in memory at 32 KiB. */
    public static final long MAX_CHUNK_SIZE = 1L << 30;
    /** Bytes of fixed header before the bitmap; see {@link MetaPage} for the fields. */
    static final int HEADER = 64;

    /** Validates {@code chunkSize} and derives the layout. */
    public static ChunkLayout of(long chunkSize) {
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || Long.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not allowed: use a power of two"
                    + " between " + MIN_CHUNK_SIZE + " (64 KiB) and " + MAX_CHUNK_SIZE + " (1 GiB), e.g. 16 MiB");
        }
        int pages = (int) (chunkSize / PAGE);
        int bitmapBytes = pages / 8;
        int metaSize = (HEADER + bitmapBytes + PAGE - 1) / PAGE * PAGE;
        return new ChunkLayout(chunkSize, metaSize, pages, bitmapBytes);
    }

    /** Total length of a chunk file (meta area plus data). */
    public long fileSize() {
        return metaSize + chunkSize;
    }
}
