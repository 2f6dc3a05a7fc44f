package io.camber.common.api;

/** An open session on a volume and the lease the client must renew before it expires. */
public record SessionInfo(String sessionId, long volumeId, String path, OpenMode mode, String client, long epoch,
                          long leaseMillis, long expiresAtMillis, boolean fenced) {
}
