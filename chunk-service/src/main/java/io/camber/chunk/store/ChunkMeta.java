package io.camber.chunk.store;

/**
 * What a chunk store knows about one chunk: whether it exists, its highest applied sequence and how
 * many of its 4 KiB pages were ever written.
 */
public record ChunkMeta(long chunkId, boolean exists, long chunkSize, long sequence, int writtenPages) {
    static ChunkMeta absent(long chunkId, long chunkSize) {
        return new ChunkMeta(chunkId, false, chunkSize, 0, 0);
    }
}
