package io.camber.chunk.store;

/**
 * The on-disk shape of a chunk file for one chunk size (format 2):
 * <pre>
 * [meta slot 0][meta slot 1][page checksum table][chunkSize data bytes]
 * </pre>
 * A meta slot holds the header and the written-page bitmap ({@link MetaPage}), rounded up to whole 4 KiB
 * pages. Two slots written in turn mean a torn meta write (power loss mid-write) leaves the other slot, one
 * write older, to load from; the Raft log replays what it lacks. The checksum table holds one CRC32C
 * (4 bytes, big-endian) per 4 KiB data page, verified on every read.
 *
 * <p>For a 16 MiB chunk that is 4 KiB + 4 KiB + 16 KiB of meta: 0.15 % of the data.
 */
public record ChunkLayout(long chunkSize, int slotSize, int metaSize, int pages, int bitmapBytes) {
    /** Size of an IO page and the unit of meta slots and the checksum table. */
    public static final int PAGE = 4096;
    /** Smallest chunk: below this the meta area would outweigh the data it describes. */
    public static final long MIN_CHUNK_SIZE = 64 * 1024;
    /** Largest chunk: keeps the per-chunk bitmap held in memory at 32 KiB. */
    public static final long MAX_CHUNK_SIZE = 1L << 30;
    /** Bytes of fixed header before the bitmap; see {@link MetaPage} for the fields. */
    static final int HEADER = 64;
    /** Bytes of checksum per data page. */
    static final int CRC_BYTES = 4;

    /** Validates {@code chunkSize} and derives the layout. */
    public static ChunkLayout of(long chunkSize) {
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || Long.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not allowed: use a power of two"
                    + " between " + MIN_CHUNK_SIZE + " (64 KiB) and " + MAX_CHUNK_SIZE + " (1 GiB), e.g. 16 MiB");
        }
        int pages = (int) (chunkSize / PAGE);
        int bitmapBytes = pages / 8;
        int slotSize = roundUp(HEADER + bitmapBytes);
        int crcTable = roundUp(pages * CRC_BYTES);
        return new ChunkLayout(chunkSize, slotSize, 2 * slotSize + crcTable, pages, bitmapBytes);
    }

    private static int roundUp(int bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    /** File offset of meta slot 0 or 1. */
    long slotOffset(int slot) {
        return (long) slot * slotSize;
    }

    /** File offset of the checksum of data page {@code page}. */
    long crcOffset(int page) {
        return 2L * slotSize + (long) page * CRC_BYTES;
    }

    /** Total length of a chunk file (meta area plus data). */
    public long fileSize() {
        return metaSize + chunkSize;
    }
}
