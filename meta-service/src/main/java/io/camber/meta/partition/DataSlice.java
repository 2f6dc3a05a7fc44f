package io.camber.meta.partition;

/**
 * A partition's slice [start, end) of its file system's data volume and its bump pointer: space at and above bump
 * was never handed out. Stored under {@code slice} in the partition family once the partition first allocates, so
 * the bounds a partition started with stay its own.
 */
public record DataSlice(long start, long end, long bump) {
}
