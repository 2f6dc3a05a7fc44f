package io.camber.mds.session;

import io.camber.common.api.SessionInfo;

/** Turns stored sessions into the wire form. */
public final class SessionViews {
    private SessionViews() {
    }

    public static SessionInfo info(SessionRecord s, String path) {
        return new SessionInfo(s.sessionId(), s.volumeId(), path, s.mode(), s.client(), s.epoch(), s.leaseMillis(),
                s.expiresAtMillis(), s.fenced());
    }
}
