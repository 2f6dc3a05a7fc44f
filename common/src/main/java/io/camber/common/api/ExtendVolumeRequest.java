package io.camber.common.api;

/** Grows a volume; shrinking is refused. */
public record ExtendVolumeRequest(String path, String size) {
}
