package io.camber.mds.auth;

import io.camber.common.auth.ApiRole;

import java.util.List;

/**
 * Which role may call what on /api/**. Admin: everything. Read-only: GET (and HEAD) only, except the API key list
 * and S3 secrets. Service: GET (S3 secrets included: the s3-proxy verifies signatures with them), plus the writes
 * cluster members make (registration, heartbeats, sessions, segment allocation), listed as {@code METHOD /path}
 * rules where {@code *} is one path segment and {@code **} the rest of the path.
 */
public final class AccessPolicy {
    /** The writes a service key may make; new member kinds add theirs here (or in camber.auth.service-writes). */
    public static final List<String> SERVICE_WRITES = List.of(
            "POST /api/v1/chunkservers",
            "POST /api/v1/chunkservers/*/heartbeat",
            "POST /api/v1/chunkservers/*/garbage/deleted",
            "POST /api/v1/metaservers",
            "POST /api/v1/metaservers/*/heartbeat",
            "POST /api/v1/sessions",
            "POST /api/v1/sessions/*/renew",
            "POST /api/v1/sessions/*/resume",
            "DELETE /api/v1/sessions/*",
            "POST /api/v1/volumes/segments");

    private static final String KEYS = "/api/v1/auth/keys";
    private static final String DATA_TOKENS = "/api/v1/auth/data-tokens";
    private static final String S3_SECRET = "/api/v1/s3/keys/*/secret";

    private final List<String[]> serviceWrites;

    public AccessPolicy(List<String> serviceWrites) {
        this.serviceWrites = serviceWrites.stream().map(r -> r.strip().split("\\s+", 2)).toList();
    }

    /** The default policy. */
    public static AccessPolicy standard() {
        return new AccessPolicy(SERVICE_WRITES);
    }

    /** Whether role may send method to path (path without its query). */
    public boolean allows(ApiRole role, String method, String path) {
        if (role == ApiRole.ADMIN) {
            return true;
        }
        if (path.equals(KEYS) || path.startsWith(KEYS + "/") || path.equals(DATA_TOKENS)) {
            return false; // who holds which key, and cluster tokens, are admins' business alone
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (matches(S3_SECRET, path)) {
            return read && role == ApiRole.SERVICE; // a secret signs as its holder: looking is not harmless here
        }
        if (read) {
            return true;
        }
        if (role == ApiRole.SERVICE) {
            for (String[] rule : serviceWrites) {
                if (rule.length == 2 && rule[0].equalsIgnoreCase(method) && matches(rule[1], path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Matches a path against a pattern of literal segments, * (one segment) and ** (any rest). */
    static boolean matches(String pattern, String path) {
        String[] p = trim(pattern).split("/");
        String[] s = trim(path).split("/");
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("**")) {
                return true;
            }
            if (i >= s.length || !(p[i].equals("*") ? !s[i].isEmpty() : p[i].equals(s[i]))) {
                return false;
            }
        }
        return p.length == s.length;
    }

    private static String trim(String path) {
        String t = path.startsWith("/") ? path.substring(1) : path;
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }
}
