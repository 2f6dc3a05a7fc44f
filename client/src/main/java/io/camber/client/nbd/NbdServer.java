package io.camber.client.nbd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NBD server (fixed newstyle negotiation, simple replies) that serves the exports of an
 * {@link ExportResolver}, one thread per connection with requests pipelined within each connection.
 *
 * <p>Multi-connection: when {@code multiConn} is true every export advertises {@code NBD_FLAG_CAN_MULTI_CONN},
 * telling clients (nbdcopy, qemu, the Linux kernel with several sockets) that they may spread requests over
 * several connections. That is safe for Camber volumes because Camber keeps no per-connection write cache: a
 * write is acknowledged only once it is durable on a majority of replicas, so a FLUSH (or FUA) answered on one
 * connection covers every write acknowledged on any connection. Pass false for a resolver whose devices cache
 * writes per open handle; the default is true.
 */
public final class NbdServer implements AutoCloseable {
    /** How long {@link #close()} lets connections finish the requests they already read. */
    private static final long CLOSE_GRACE_MILLIS = NbdTransmission.DRAIN_TIMEOUT_SECONDS * 1000 + 5000;

    private static final Logger log = LoggerFactory.getLogger(NbdServer.class);

    private final ExportResolver resolver;
    private final InetSocketAddress listen;
    private final boolean multiConn;
    private final boolean readOnly;
    private final NbdLimits limits;
    private final Map<NbdConnection, Thread> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private volatile ServerSocket serverSocket;
    private volatile boolean closed;
    private Thread acceptor;

    /** A read-write server advertising multi-connection support. */
    public NbdServer(ExportResolver resolver, InetSocketAddress listen) {
        this(resolver, listen, true);
    }

    /** A read-write server; see the class comment for when {@code multiConn} is safe. */
    public NbdServer(ExportResolver resolver, InetSocketAddress listen, boolean multiConn) {
        this(resolver, listen, multiConn, false);
    }

    /** A server that, when {@code readOnly}, opens every export read-only (as {@code qemu-nbd --read-only}). */
    public NbdServer(ExportResolver resolver, InetSocketAddress listen, boolean multiConn, boolean readOnly) {
        this(resolver, listen, multiConn, readOnly, NbdLimits.defaults());
    }

    /** A server bounded by limits (handshake time, connections). */
    public NbdServer(ExportResolver resolver, InetSocketAddress listen, boolean multiConn, boolean readOnly,
                     NbdLimits limits) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.listen = Objects.requireNonNull(listen, "listen");
        this.multiConn = multiConn;
        this.readOnly = readOnly;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Binds the listen address and starts accepting clients. */
    public synchronized void start() {
        if (serverSocket != null || closed) {
            throw new IllegalStateException("NBD server already started or closed; create a new one");
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(listen, 128);
            serverSocket = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + listen + " for NBD; choose a free port", e);
        }
        acceptor = new Thread(this::acceptLoop, "nbd-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("event=nbd_server_started address={} port={} multiConn={} readOnly={}",
                listen.getAddress() == null ? "*" : listen.getAddress().getHostAddress(), port(), multiConn,
                readOnly);
    }

    /** The bound port (useful when listening on port 0). */
    public int port() {
        ServerSocket socket = serverSocket;
        if (socket == null) {
            throw new IllegalStateException("NBD server not started; call start() first");
        }
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        long backoffMillis = 0;
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
                backoffMillis = 0;
            } catch (SocketException e) {
                if (!closed) {
                    log.warn("event=nbd_accept_failed cause={}", e.toString());
                }
                return;
            } catch (IOException e) {
                // Out of file descriptors, say: retrying at once would spin a core and flood the log.
                backoffMillis = Math.min(1000, Math.max(10, backoffMillis * 2));
                log.warn("event=nbd_accept_failed cause={} retry_in_ms={}", e.toString(), backoffMillis);
                pause(backoffMillis);
                continue;
            }
            if (connections.size() >= limits.maxConnections()) {
                log.warn("event=nbd_connection_refused remote={} reason=limit limit={}",
                        socket.getRemoteSocketAddress(), limits.maxConnections());
                closeQuietly(socket);
                continue;
            }
            long id = connectionIds.incrementAndGet();
            log.info("event=nbd_connection_opened connection={} remote={}", id, socket.getRemoteSocketAddress());
            NbdConnection[] self = new NbdConnection[1];
            self[0] = new NbdConnection(id, socket, resolver, readOnly, multiConn, limits,
                    () -> connections.remove(self[0]));
            Thread thread = new Thread(self[0], "nbd-conn-" + id);
            thread.setDaemon(true);
            connections.put(self[0], thread);
            thread.start();
            if (closed) {
                self[0].shutdown();
            }
        }
    }

    /** Connections being served now. */
    public int connections() {
        return connections.size();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("event=nbd_socket_close_failed cause={}", e.toString());
        }
    }

    /**
     * Stops accepting, lets every connection answer the requests it has already read, then closes them; a
     * connection still busy after the grace period is cut off.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (serverSocket != null) {
                serverSocket.close();
            }
        } catch (IOException e) {
            log.debug("event=nbd_listen_close_failed cause={}", e.toString());
        }
        connections.keySet().forEach(NbdConnection::shutdown);
        long deadline = System.currentTimeMillis() + CLOSE_GRACE_MILLIS;
        for (Map.Entry<NbdConnection, Thread> entry : connections.entrySet()) {
            try {
                entry.getValue().join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.keySet().forEach(NbdConnection::abort);
        log.info("event=nbd_server_stopped");
    }
}
