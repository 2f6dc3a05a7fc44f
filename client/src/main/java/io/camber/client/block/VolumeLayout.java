package io.camber.client.block;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte range of a volume into pieces that each stay inside one chunk. Pure arithmetic: the
 * segment and chunk a piece falls in, and where it sits in the chunk and in the caller's buffer.
 */
public record VolumeLayout(long segmentSize, long chunkSize) {

    /** One piece of an IO: the chunk it lands in and the bytes it covers. */
    public record Piece(long segmentOffset, int chunkIndex, long offsetInChunk, int length, int bufferOffset) {
        /** Whether the piece starts and ends on 4 KiB chunk pages (else it needs a read-modify-write). */
        public boolean pageAligned() {
            return offsetInChunk % VolumeLayout.PAGE == 0 && length % VolumeLayout.PAGE == 0;
        }
    }

    /** Unit of chunk IO. */
    public static final int PAGE = 4096;

    public List<Piece> split(long offset, long length) {
        List<Piece> pieces = new ArrayList<>();
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            long segmentOffset = pos - pos % segmentSize;
            long inSegment = pos - segmentOffset;
            int chunkIndex = (int) (inSegment / chunkSize);
            long offsetInChunk = inSegment % chunkSize;
            int len = (int) Math.min(end - pos, chunkSize - offsetInChunk);
            pieces.add(new Piece(segmentOffset, chunkIndex, offsetInChunk, len, (int) (pos - offset)));
            pos += len;
        }
        return pieces;
    }
}
