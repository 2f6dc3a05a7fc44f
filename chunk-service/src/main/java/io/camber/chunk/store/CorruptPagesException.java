package io.camber.chunk.store;

import java.util.List;

/** Pages of a chunk whose bytes fail their stored CRC32C: bit rot, a stray write, a bad sector. */
public final class CorruptPagesException extends RuntimeException {
    private final long chunkId;
    private final List<Integer> pages;

    public CorruptPagesException(long chunkId, List<Integer> pages) {
        super("chunk " + chunkId + ": " + pages.size() + " page(s) fail their CRC32C checksum, first page "
                + pages.get(0));
        this.chunkId = chunkId;
        this.pages = List.copyOf(pages);
    }

    public long chunkId() {
        return chunkId;
    }

    /** The failing pages, as 4 KiB page numbers within the chunk, ascending. */
    public List<Integer> pages() {
        return pages;
    }
}
