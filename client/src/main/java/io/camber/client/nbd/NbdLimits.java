package io.camber.client.nbd;

import java.time.Duration;

/**
 * What one NBD server lets its clients hold.
 *
 * @param handshakeTimeout how long a client may take between bytes of its negotiation; one that stalls there is
 *                         cut off, so a port scanner or a stuck client cannot hold a connection thread for ever
 *                         (transmission has no such limit: the kernel's client legitimately sits idle for days)
 * @param maxConnections   connections served at once; further ones are closed as soon as they are accepted
 */
public record NbdLimits(Duration handshakeTimeout, int maxConnections) {
    public NbdLimits {
        if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("NBD handshake timeout must be positive, not " + handshakeTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("NBD connection limit must be 1 or more, not " + maxConnections);
        }
    }

    /** 30 s to negotiate, 512 connections. */
    public static NbdLimits defaults() {
        return new NbdLimits(Duration.ofSeconds(30), 512);
    }
}
