package io.camber.mds.session;

import io.camber.common.api.OpenMode;

/**
 * A stored session: who holds a volume open, with which epoch. expiresAtMillis is informational (the proposer's
 * wall clock plus the lease); whether a lease ran out is decided by the MDS leader on its monotonic clock
 * ({@link LeaseWatch}). version is the Raft index of the command that last wrote the record, so the leader can
 * tell a renewal (or a resume) from the record it last saw.
 */
public record SessionRecord(long volumeId, String uuid, OpenMode mode, String client, long epoch, long leaseMillis,
                            long expiresAtMillis, boolean fenced, long version) {

    /** The id handed to clients; it carries the volume id so lookups need no scan. */
    public String sessionId() {
        return Long.toHexString(volumeId) + "-" + uuid;
    }

    /** By the wall-clock time nowMillis; {@link SessionTable#LEASES_BY_LEADER} makes every stored session live. */
    public boolean expiredAt(long nowMillis) {
        return nowMillis > expiresAtMillis;
    }

    public SessionRecord renewedAt(long nowMillis) {
        return new SessionRecord(volumeId, uuid, mode, client, epoch, leaseMillis, nowMillis + leaseMillis, fenced,
                version);
    }

    public SessionRecord fencedOff() {
        return new SessionRecord(volumeId, uuid, mode, client, epoch, leaseMillis, expiresAtMillis, true, version);
    }

    SessionRecord writtenAt(long index) {
        return new SessionRecord(volumeId, uuid, mode, client, epoch, leaseMillis, expiresAtMillis, fenced, index);
    }
}
