package io.camber.common.api;

/** A namespace entry: a directory or a volume with its size, pool and current epoch. */
public record EntryInfo(long id, String path, EntryType type, String owner, long size, String pool,
                        long chunkSize, long segmentSize, long epoch, long createdAtMillis) {
}
