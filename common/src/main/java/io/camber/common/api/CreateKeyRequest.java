package io.camber.common.api;

/** Creates an API key: role admin, read-only or service; name is a free label (who or what holds it). */
public record CreateKeyRequest(String role, String name) {
}
