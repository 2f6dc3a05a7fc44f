package io.camber.client.nbd;

import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.Socket;

/**
 * TCP keepalive on NBD connections, so a client that vanished (host down, cable pulled) frees its connection in
 * about two minutes even though the server never times out an idle one: probes after 60 s of silence, every 10 s,
 * six unanswered ones drop it.
 */
final class TcpKeepalive {
    static final int IDLE_SECONDS = 60;
    static final int INTERVAL_SECONDS = 10;
    static final int PROBES = 6;

    private TcpKeepalive() {
    }

    static void enable(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        try {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
        } catch (UnsupportedOperationException e) {
            // the platform's defaults (two hours on Linux) still end dead connections, only later
        }
    }
}
