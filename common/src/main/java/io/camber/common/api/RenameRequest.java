package io.camber.common.api;

/** Moves a volume or directory to a new path that must not exist yet. */
public record RenameRequest(String from, String to) {
}
