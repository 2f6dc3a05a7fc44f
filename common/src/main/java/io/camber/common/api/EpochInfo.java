package io.camber.common.api;

/** The newest epoch of a volume; chunk servers reject writes carrying an older one. */
public record EpochInfo(long volumeId, long epoch) {
}
