package io.camber.mds.auth;

import io.camber.common.auth.ApiRole;

/** Who sent a request: the key's id and label, and its role. source: "config" or "stored". */
public record Principal(String keyId, String name, ApiRole role, String source) {
}
