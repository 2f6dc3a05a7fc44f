package io.camber.common.api;

/** Asks for the segment holding a byte offset of a volume, allocating it on first touch. */
public record SegmentRequest(String path, long offset) {
}
