package io.camber.common.api;

/** A logical pool: where volumes and file systems allocate their chunks. */
public record LogicalPoolInfo(long id, String name, String physicalPool, LogicalPoolType type, int replicas,
                              long chunkSize, long segmentSize, int copysets, int scatterWidthMin,
                              double scatterWidthAvg) {
}
