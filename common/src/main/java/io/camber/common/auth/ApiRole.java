package io.camber.common.auth;

import java.util.Locale;

/** What an API key may do on the admin API; docs/operations.md, "Authentication", has the full table. */
public enum ApiRole {
    /** Everything, including creating and removing keys. */
    ADMIN,
    /** GET only: look, never change. */
    READ_ONLY,
    /** Cluster members: chunk and meta services registering and heartbeating, NBD servers opening volumes. */
    SERVICE;

    /** Reads a role as operators type it: admin, read-only (or read_only), service; any case. */
    public static ApiRole parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ApiRole r : values()) {
            if (r.name().equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "': use admin, read-only or service");
    }

    /** The role as operators type it (read-only, not READ_ONLY). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
