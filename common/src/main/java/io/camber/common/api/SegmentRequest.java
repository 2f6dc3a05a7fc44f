package io.camber.common.api;

/** Asks for the segment holding a byte offset of a volume, allocating it on first touch. */
/**
 * Asks for the segment holding offset of a volume, named by id (what an open volume sends: it can never reach
 * another volume that took its path) or by path. A writer sends its epoch: once another writer opened the
 * volume (a newer epoch), the answer is FENCED, so a fenced writer never learns a segment it could write into.
 */
public record SegmentRequest(String path, long offset, Long volumeId, Long epoch) {
}
