package io.camber.meta;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports on 127.0.0.1 below Linux's ephemeral range (as testkit's MiniCluster picks them): a port the kernel
 * picked could be taken by an outgoing Ratis connection before the server binds it.
 */
public final class LoopbackPorts {
    /** Spread by pid so two builds on one machine rarely try the same ports; never the same one twice in a JVM. */
    private static final AtomicInteger NEXT = new AtomicInteger(20000 + (int) (ProcessHandle.current().pid() % 500) * 20 + 7);

    private LoopbackPorts() {
    }

    public static int free() {
        for (int attempt = 0; attempt < 2000; attempt++) {
            int port = NEXT.getAndIncrement();
            if (port >= 32000) {
                NEXT.set(20000);
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 on 127.0.0.1");
    }
}
