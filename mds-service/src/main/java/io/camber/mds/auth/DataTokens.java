package io.camber.mds.auth;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.OpenMode;
import io.camber.common.api.SessionInfo;
import io.camber.common.api.TokenKeysInfo;
import io.camber.common.auth.VolumeToken;
import io.camber.mds.raft.MdsReplication;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;

/**
 * Signs data-plane tokens with the MDS's newest signing key, after a session's command committed: the epoch in the
 * token is the one the log recorded, so a client can never hold a token for an epoch the MDS did not hand out.
 * Ed25519 signing is tens of microseconds of CPU, fine on an event loop.
 */
@Component
public class DataTokens {
    private final MdsReplication mds;
    private final AuthProperties props;
    private final Clock clock;

    public DataTokens(MdsReplication mds, AuthProperties props, Clock clock) {
        this.mds = mds;
        this.props = props;
        this.clock = clock;
    }

    /**
     * The session carrying a token for its volume, epoch and mode (read-write for READ_WRITE and SHARED); unchanged
     * when authentication is off.
     */
    public SessionInfo attach(SessionInfo session) {
        if (!props.enabled() || session == null) {
            return session;
        }
        VolumeToken token = new VolumeToken(keyId(), session.volumeId(), session.epoch(),
                session.mode() != OpenMode.READ_ONLY, expiry(props.dataTokenTtl()));
        return session.withToken(VolumeToken.text(token.sign(mds.stateMachine().auth().signingKey())));
    }

    /** A cluster token (any volume, read-write) for tools run by an admin, valid for ttl (at most data-token-ttl). */
    public String clusterToken(Duration ttl) {
        Duration t = ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(props.dataTokenTtl()) > 0
                ? props.dataTokenTtl() : ttl;
        VolumeToken token = new VolumeToken(keyId(), VolumeToken.ANY_VOLUME, 0, true, expiry(t));
        return VolumeToken.text(token.sign(mds.stateMachine().auth().signingKey()));
    }

    /** What chunk servers fetch to check tokens. */
    public TokenKeysInfo keys() {
        AuthState auth = mds.stateMachine().auth();
        return new TokenKeysInfo(props.enabled(), auth.signingKeys().stream()
                .map(k -> new TokenKeysInfo.PublicKeyInfo(k.keyId(), k.publicKey())).toList());
    }

    private int keyId() {
        int id = mds.stateMachine().auth().signingKeyId();
        if (id == 0) {
            throw new CamberException(ErrorCode.UNAVAILABLE, "the MDS has no data-token signing key yet (it is"
                    + " created once the MDS group has a leader); retry in a few seconds");
        }
        return id;
    }

    private long expiry(Duration ttl) {
        return clock.millis() + ttl.toMillis();
    }
}
