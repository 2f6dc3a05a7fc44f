package io.camber.common.api;

/** Names one copyset: its logical pool and its id in that pool. */
public record CopysetRef(long logicalPoolId, int copysetId) {
}
