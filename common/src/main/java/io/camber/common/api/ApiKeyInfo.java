package io.camber.common.api;

/**
 * An API key as listed: never its secret. key is set only in the answer that created it, the one time it is shown.
 */
public record ApiKeyInfo(String id, String name, String role, long createdAtMillis, String source, String key) {
}
