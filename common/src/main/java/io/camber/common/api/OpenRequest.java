package io.camber.common.api;

/** Opens a volume; READ_WRITE takes a new epoch and fences every earlier writer. */
public record OpenRequest(String path, OpenMode mode, String client) {
}
