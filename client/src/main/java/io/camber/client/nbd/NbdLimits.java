package io.camber.client.nbd;

import java.time.Duration;

/**
 * What one NBD server lets its clients hold.
 *
 * @param handshakeTimeout how long a client may take between bytes of its negotiation; one that stalls there is
 *                         cut off, so a port scanner or a stuck client cannot hold a connection thread for ever
 * @param maxConnections   connections served at once; further ones are closed as soon as they are accepted
 * @param idleTimeout      how long an attached connection may send nothing while it has no request in flight
 *                         before it is closed; zero (the default) never closes one, because the kernel's client
 *                         legitimately sits idle for days and loses its device when cut off. Dead peers are found
 *                         by TCP keepalive either way (about two minutes).
 */
public record NbdLimits(Duration handshakeTimeout, int maxConnections, Duration idleTimeout) {
    public NbdLimits {
        if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("NBD handshake timeout must be positive, not " + handshakeTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("NBD connection limit must be 1 or more, not " + maxConnections);
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("NBD idle timeout must be zero (never) or positive, not "
                    + idleTimeout);
        }
    }

    /** Limits without an idle timeout. */
    public NbdLimits(Duration handshakeTimeout, int maxConnections) {
        this(handshakeTimeout, maxConnections, Duration.ZERO);
    }

    /** 30 s to negotiate, 512 connections, no idle timeout. */
    public static NbdLimits defaults() {
        return new NbdLimits(Duration.ofSeconds(30), 512, Duration.ZERO);
    }

    /** The idle timeout as a socket read timeout in milliseconds (0: none). */
    int idleTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis());
    }
}
