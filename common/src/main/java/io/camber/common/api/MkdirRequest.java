package io.camber.common.api;

/** Creates a directory in the volume namespace. */
public record MkdirRequest(String path, String owner) {
}
