package io.camber.common.api;

/**
 * An open session on a volume and the lease the client must renew before it expires. token is the data-plane
 * token the MDS signed for this session (base64url, see {@link io.camber.common.auth.VolumeToken}), which chunk
 * servers require with every request; null when the MDS runs without authentication.
 */
public record SessionInfo(String sessionId, long volumeId, String path, OpenMode mode, String client, long epoch,
                          long leaseMillis, long expiresAtMillis, boolean fenced, String token) {

    /** The same session without a token (as the state machine records it). */
    public SessionInfo(String sessionId, long volumeId, String path, OpenMode mode, String client, long epoch,
                       long leaseMillis, long expiresAtMillis, boolean fenced) {
        this(sessionId, volumeId, path, mode, client, epoch, leaseMillis, expiresAtMillis, fenced, null);
    }

    /** This session carrying token. */
    public SessionInfo withToken(String token) {
        return new SessionInfo(sessionId, volumeId, path, mode, client, epoch, leaseMillis, expiresAtMillis, fenced,
                token);
    }
}
