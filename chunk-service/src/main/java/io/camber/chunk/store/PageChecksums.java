package io.camber.chunk.store;

/**
 * One replica's view of a range of a chunk for a scrub: the chunk's sequence (highest log index applied to it) and
 * per 4 KiB page the stored CRC32C of a page whose bytes match it, {@link #UNWRITTEN} for a page never written, or
 * {@link #CORRUPT} for a page whose bytes fail it.
 */
public record PageChecksums(long sequence, long[] checksums) {
    public static final long UNWRITTEN = ChunkFile.UNWRITTEN;
    public static final long CORRUPT = ChunkFile.CORRUPT;
}
