package io.camber.mds.session;

import io.camber.common.api.OpenMode;

/** A stored session: who holds a volume open, with which epoch, until when. */
public record SessionRecord(long volumeId, String uuid, OpenMode mode, String client, long epoch, long leaseMillis,
                            long expiresAtMillis, boolean fenced) {

    /** The id handed to clients; it carries the volume id so lookups need no scan. */
    public String sessionId() {
        return Long.toHexString(volumeId) + "-" + uuid;
    }

    public boolean expiredAt(long nowMillis) {
        return nowMillis > expiresAtMillis;
    }

    public SessionRecord renewedAt(long nowMillis) {
        return new SessionRecord(volumeId, uuid, mode, client, epoch, leaseMillis, nowMillis + leaseMillis, fenced);
    }

    public SessionRecord fencedOff() {
        return new SessionRecord(volumeId, uuid, mode, client, epoch, leaseMillis, expiresAtMillis, true);
    }
}
