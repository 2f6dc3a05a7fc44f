package io.camber.client.nbd;

import static io.camber.client.nbd.NbdProtocol.*;

import io.camber.client.block.BlockDevice;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmission phase of one connection: reads requests continuously, starts each on the device at once
 * and lets {@link NbdReplyWriter} answer in completion order, so requests are pipelined and replies may
 * arrive out of order (the client matches them by cookie).
 *
 * <p>In flight per connection: at most {@link #MAX_IN_FLIGHT_REQUESTS} requests and
 * {@link #MAX_IN_FLIGHT_BYTES} of READ/WRITE payload; when either is reached the reader stops reading the
 * socket, which pushes back on the client through TCP.
 */
final class NbdTransmission {
    static final int MAX_IN_FLIGHT_REQUESTS = 64;
    static final int MAX_IN_FLIGHT_BYTES = 64 << 20;
    /** How long a disconnecting connection waits for in-flight device requests before closing anyway. */
    static final long DRAIN_TIMEOUT_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(NbdTransmission.class);

    private final DataInputStream in;
    private final NbdReplyWriter writer;
    private final NbdHandshake.Negotiated export;
    private final BlockDevice device;
    private final long connectionId;
    private final Duration idleTimeout;
    /** When the client last sent a request or was last answered; idleness is measured from here. */
    private volatile long lastActivityNanos = System.nanoTime();
    private final Semaphore requestPermits = new Semaphore(MAX_IN_FLIGHT_REQUESTS);
    private final Semaphore bytePermits = new Semaphore(MAX_IN_FLIGHT_BYTES);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    NbdTransmission(DataInputStream in, NbdReplyWriter writer, NbdHandshake.Negotiated export, long connectionId,
                    Duration idleTimeout) {
        this.in = in;
        this.idleTimeout = idleTimeout;
        this.writer = writer;
        this.export = export;
        this.device = export.device();
        this.connectionId = connectionId;
    }

    long requests() {
        return requests.get();
    }

    long errors() {
        return errors.get();
    }

    /** Serves requests until the client disconnects; returns why it stopped, after every reply is written. */
    String serve() throws IOException, InterruptedException {
        try {
            return readLoop();
        } finally {
            drain();
        }
    }

    private String readLoop() throws IOException, InterruptedException {
        while (true) {
            int first = awaitRequest();
            if (first < 0) {
                return first == IDLE ? "idle_timeout" : "eof";
            }
            // The socket's read timeout still applies: a client that stalls inside a request is cut off.
            int magic = (first << 24) | (in.readUnsignedShort() << 8) | in.readUnsignedByte();
            if (magic != REQUEST_MAGIC) {
                // Without a valid header the stream cannot be resynchronised: hard disconnect.
                return "bad_request_magic";
            }
            int flags = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long cookie = in.readLong();
            long offset = in.readLong();
            long length = Integer.toUnsignedLong(in.readInt());
            if (type == CMD_DISC) {
                return "disc";
            }
            requestPermits.acquire();
            requests.incrementAndGet();
            if (type == CMD_WRITE && length > MAX_PAYLOAD) {
                fail(cookie, type, offset, length, EINVAL, 0);
                if (length > MAX_SKIPPABLE_PAYLOAD) {
                    // Skipping gigabytes to stay in sync would let a broken client tie up the server.
                    return "write_payload_too_large";
                }
                in.skipNBytes(length);
                continue;
            }
            int held = (type == CMD_READ || type == CMD_WRITE) && length <= MAX_PAYLOAD ? (int) length : 0;
            ByteBuffer payload;
            try {
                bytePermits.acquire(held);
                try {
                    payload = type == CMD_WRITE ? readPayload((int) length) : null;
                } catch (IOException e) {
                    bytePermits.release(held);
                    throw e;
                }
            } catch (IOException | InterruptedException e) {
                requestPermits.release();
                throw e;
            }
            int error = validate(type, flags, offset, length);
            if (error != 0) {
                fail(cookie, type, offset, length, error, held);
                continue;
            }
            dispatch(cookie, type, offset, length, payload, held);
        }
    }

    private static final int IDLE = -2;

    /**
     * The first byte of the next request; -1 at end of stream, {@link #IDLE} when the client sent nothing for the
     * idle timeout since its last request or our last reply, with no request of its in flight. A timeout with
     * requests in flight means the client waits for us, so it keeps waiting. A read timeout that delivered no byte
     * leaves the stream intact.
     */
    private int awaitRequest() throws IOException {
        while (true) {
            try {
                int first = in.read();
                lastActivityNanos = System.nanoTime();
                return first;
            } catch (SocketTimeoutException e) {
                boolean quiet = System.nanoTime() - lastActivityNanos >= idleTimeout.toNanos();
                if (quiet && requestPermits.availablePermits() == MAX_IN_FLIGHT_REQUESTS) {
                    log.info("event=nbd_idle_timeout connection={} timeout={}", connectionId, idleTimeout);
                    return IDLE;
                }
            }
        }
    }

    private ByteBuffer readPayload(int length) throws IOException {
        byte[] data = new byte[length];
        in.readFully(data);
        return ByteBuffer.wrap(data);
    }

    /** The NBD error for a request that must not reach the device, or 0. */
    private int validate(int type, int flags, long offset, long length) {
        int allowedFlags = switch (type) {
            case CMD_READ, CMD_WRITE, CMD_FLUSH, CMD_TRIM -> CMD_FLAG_FUA;
            case CMD_WRITE_ZEROES -> CMD_FLAG_FUA | CMD_FLAG_NO_HOLE;
            default -> -1;
        };
        if (allowedFlags < 0 || (flags & ~allowedFlags) != 0) {
            return EINVAL;
        }
        if (type == CMD_FLUSH) {
            return 0;
        }
        boolean writes = type != CMD_READ;
        if (writes && (export.readOnly() || device.readOnly())) {
            return EPERM;
        }
        if (length == 0 || offset % BlockDevice.SECTOR != 0 || length % BlockDevice.SECTOR != 0) {
            return EINVAL;
        }
        if (type == CMD_READ && length > MAX_PAYLOAD) {
            return EINVAL;
        }
        long size = device.size();
        if (offset < 0 || offset > size || length > size - offset) {
            return type == CMD_WRITE || type == CMD_WRITE_ZEROES ? ENOSPC : EINVAL;
        }
        return 0;
    }

    private void dispatch(long cookie, int type, long offset, long length, ByteBuffer payload, int held) {
        CompletableFuture<ByteBuffer> future;
        try {
            // FUA needs nothing extra: Camber acknowledges a write only once it is durable on a majority.
            future = switch (type) {
                case CMD_READ -> device.read(offset, (int) length);
                case CMD_WRITE -> device.write(offset, payload).thenApply(v -> null);
                case CMD_FLUSH -> device.flush().thenApply(v -> null);
                case CMD_TRIM -> device.trim(offset, length).thenApply(v -> null);
                case CMD_WRITE_ZEROES -> device.writeZeroes(offset, length).thenApply(v -> null);
                default -> throw new IllegalStateException("unvalidated command " + type);
            };
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((data, failure) -> {
            if (failure != null) {
                log.warn("event=nbd_request_failed connection={} cmd={} offset={} length={} cause={}",
                        connectionId, commandName(type), offset, length, NbdErrno.unwrap(failure).toString());
                fail(cookie, type, offset, length, NbdErrno.of(failure), held);
            } else if (type == CMD_READ && (data == null || data.remaining() != length)) {
                log.warn("event=nbd_short_read connection={} offset={} length={} returned={}", connectionId, offset,
                        length, data == null ? -1 : data.remaining());
                fail(cookie, type, offset, length, EIO, held);
            } else {
                writer.send(new NbdReplyWriter.Reply(cookie, 0, data, release(held)));
            }
        });
    }

    private void fail(long cookie, int type, long offset, long length, int error, int held) {
        errors.incrementAndGet();
        log.debug("event=nbd_request_error connection={} cmd={} offset={} length={} errno={}", connectionId,
                commandName(type), offset, length, error);
        writer.send(new NbdReplyWriter.Reply(cookie, error, null, release(held)));
    }

    private Runnable release(int heldBytes) {
        return () -> {
            lastActivityNanos = System.nanoTime(); // a reply sent: the client's silence counts from here
            bytePermits.release(heldBytes);
            requestPermits.release();
        };
    }

    /** Waits until every request read so far has been answered (all permits back), as NBD_CMD_DISC requires. */
    private void drain() throws InterruptedException {
        if (!requestPermits.tryAcquire(MAX_IN_FLIGHT_REQUESTS, DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            log.warn("event=nbd_drain_timeout connection={} inFlight={}", connectionId,
                    MAX_IN_FLIGHT_REQUESTS - requestPermits.availablePermits());
        }
    }
}
