package io.camber.common.api;

import java.util.List;

/** A segment of a volume: where each of its chunks lives. */
public record SegmentInfo(long volumeId, long offset, long length, long chunkSize, long logicalPoolId,
                          List<ChunkLocation> chunks) {

    /** One chunk of the segment: its copyset and its cluster-unique id. */
    public record ChunkLocation(int copysetId, long chunkId) {
    }
}
