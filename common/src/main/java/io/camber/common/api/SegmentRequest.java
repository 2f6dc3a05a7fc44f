package io.camber.common.api;

/** Asks for the segment holding a byte offset of a volume, allocating it on first touch. */
/**
 * Asks for the segment holding offset of a volume, named by id (what an open volume sends: it can never reach
 * another volume that took its path) or by path.
 */
public record SegmentRequest(String path, long offset, Long volumeId) {
}
