package io.camber.client.nbd;

import io.camber.client.block.BlockDevice;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, on its own thread: negotiation, then transmission; owns the socket and the device it
 * opened, and closes both when the client disconnects or the server shuts down.
 */
final class NbdConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(NbdConnection.class);

    private final long id;
    private final Socket socket;
    private final ExportResolver resolver;
    private final boolean readOnly;
    private final boolean multiConn;
    private final NbdLimits limits;
    private final Runnable onClosed;

    NbdConnection(long id, Socket socket, ExportResolver resolver, boolean readOnly, boolean multiConn,
            NbdLimits limits, Runnable onClosed) {
        this.limits = limits;
        this.id = id;
        this.socket = socket;
        this.resolver = resolver;
        this.readOnly = readOnly;
        this.multiConn = multiConn;
        this.onClosed = onClosed;
    }

    long id() {
        return id;
    }

    @Override
    public void run() {
        String reason = "unknown";
        NbdTransmission transmission = null;
        NbdHandshake.Negotiated export = null;
        try {
            socket.setTcpNoDelay(true);
            TcpKeepalive.enable(socket);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 << 10));
            BufferedOutputStream raw = new BufferedOutputStream(socket.getOutputStream(), 64 << 10);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.handshakeTimeout().toMillis()));
            try {
                export = new NbdHandshake(in, new DataOutputStream(raw), resolver, readOnly, multiConn, id).negotiate();
            } catch (SocketTimeoutException e) {
                reason = "handshake_timeout";
                log.info("event=nbd_handshake_timeout connection={} timeout={}", id, limits.handshakeTimeout());
                return;
            }
            if (export == null) {
                reason = "negotiation_ended";
                return;
            }
            // transmission: idle as long as the limits allow (by default for ever; keepalive finds dead peers)
            socket.setSoTimeout(limits.idleTimeoutMillis());
            log.info("event=nbd_export_attached connection={} export={} size={} readOnly={} flags=0x{}", id,
                    export.exportName(), export.device().size(), export.readOnly(),
                    Integer.toHexString(export.transmissionFlags()));
            NbdReplyWriter writer = new NbdReplyWriter(raw, this::abort);
            Thread writerThread = new Thread(writer, "nbd-reply-" + id);
            writerThread.setDaemon(true);
            writerThread.start();
            transmission = new NbdTransmission(in, writer, export, id, limits.idleTimeout());
            try {
                reason = transmission.serve();
            } finally {
                writer.finish();
                writerThread.join();
            }
        } catch (NbdHandshake.ProtocolViolation e) {
            reason = "protocol_violation";
            log.info("event=nbd_protocol_violation connection={} detail={}", id, e.getMessage());
        } catch (EOFException e) {
            reason = "eof";
        } catch (IOException e) {
            reason = "io_error";
            log.debug("event=nbd_connection_io_error connection={} cause={}", id, e.toString());
        } catch (InterruptedException e) {
            reason = "interrupted";
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            reason = "internal_error";
            log.warn("event=nbd_connection_failed connection={} cause={}", id, e.toString(), e);
        } finally {
            abort();
            if (export != null) {
                closeDevice(export.device());
            }
            log.info("event=nbd_connection_closed connection={} export={} reason={} requests={} errors={}", id,
                    export == null ? "-" : export.exportName(), reason,
                    transmission == null ? 0 : transmission.requests(),
                    transmission == null ? 0 : transmission.errors());
            onClosed.run();
        }
    }

    /** Stops reading requests; requests in flight are still answered before the connection closes. */
    void shutdown() {
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            abort();
        }
    }

    /** Closes the socket at once (a hard disconnect). */
    void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("event=nbd_socket_close_failed connection={} cause={}", id, e.toString());
        }
    }

    private void closeDevice(BlockDevice device) {
        try {
            device.close();
        } catch (RuntimeException e) {
            log.warn("event=nbd_device_close_failed connection={} cause={}", id, e.toString());
        }
    }
}
