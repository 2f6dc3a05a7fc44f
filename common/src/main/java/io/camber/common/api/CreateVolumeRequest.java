package io.camber.common.api;

/** Creates a volume; size is bytes or a unit string such as 10GiB and must be a whole number of segments. */
public record CreateVolumeRequest(String path, String size, String pool, String owner) {
}
