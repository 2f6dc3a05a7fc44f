package io.camber.mds.auth;

import io.camber.common.auth.ApiRole;

/** A stored API key: its id, a label, its role and the SHA-256 of id and secret (never the secret). */
public record ApiKeyRecord(String id, String name, ApiRole role, String hash, long createdAtMillis) {
}
