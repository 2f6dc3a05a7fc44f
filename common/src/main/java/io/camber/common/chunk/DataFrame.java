package io.camber.common.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Frames of the chunk data protocol: the one hop from a client to a copyset leader. Each frame travels behind a
 * 4-byte length (the transport adds and strips it). A request names the copyset's Raft group, the caller
 * (client id and call id, which Ratis' retry cache uses to apply a retried write once) and carries an encoded
 * {@link ChunkRequest}; a reply echoes the request's tag, so many requests share one connection.
 *
 * <pre>
 * request: tag u64 | kind u8 | group uuid (2 x u64) | client uuid (2 x u64) | call id u64 | chunk request
 * reply:   tag u64 | status u8 | body (OK: chunk reply; NOT_LEADER: leader's chunk-server id u64, -1 unknown;
 *                                       RETRY, FAILED, DENIED: UTF-8 message)
 * </pre>
 *
 * A TOKEN request (group, client and call id zero) carries a data-plane token ({@link
 * io.camber.common.auth.VolumeToken}) instead of a chunk request: the server checks it once and remembers it for
 * the connection, so later requests of that volume carry no token and cost no signature check. Its reply is OK
 * (empty body) or DENIED.
 */
public final class DataFrame {
    /** Bytes before a request's chunk request. */
    public static final int REQUEST_HEADER = 8 + 1 + 16 + 16 + 8;
    /**
     * Largest frame either side accepts: a full batch entry (1 MiB of payload plus up to 256 request headers) or
     * a 1 MiB read's reply, with room to spare. Clients split longer writes and reads.
     */
    public static final int MAX_FRAME = (2 << 20);

    private DataFrame() {
    }

    /** What the leader does with a request: replicate it (write) or answer it from its state (read). */
    public enum Kind { WRITE, READ, TOKEN }

    /** How a request ended on the server. */
    public enum Status {
        /** The copyset answered: the body is its {@link ChunkReply}, success or refusal. */
        OK,
        /** This server does not lead the copyset; the body names the leader when known. */
        NOT_LEADER,
        /** Transient: no leader yet, group starting or closing, lease lost. Retry, on another server if need be. */
        RETRY,
        /** The request can never succeed as sent. */
        FAILED,
        /**
         * No valid data-plane token of this connection allows the request (none for the volume, expired, forged,
         * read-only, or another epoch): the same on every replica, so not retried elsewhere. Reopen or renew.
         */
        DENIED
    }

    public record Request(long tag, Kind kind, UUID group, UUID client, long callId, ByteBuffer body) {
    }

    public record Reply(long tag, Status status, ByteBuffer body) {
        /** The leader a NOT_LEADER reply points at, or -1 (unknown, or another status). */
        public long leaderHint() {
            return status == Status.NOT_LEADER && body.remaining() >= 8 ? body.getLong(body.position()) : -1;
        }

        /** The message of a RETRY, FAILED or DENIED reply. */
        public String message() {
            return StandardCharsets.UTF_8.decode(body.duplicate()).toString();
        }
    }

    /** The header of a request; the chunk request follows it on the wire. */
    public static ByteBuffer requestHeader(long tag, Kind kind, UUID group, UUID client, long callId) {
        return ByteBuffer.allocate(REQUEST_HEADER).putLong(tag).put((byte) kind.ordinal())
                .putLong(group.getMostSignificantBits()).putLong(group.getLeastSignificantBits())
                .putLong(client.getMostSignificantBits()).putLong(client.getLeastSignificantBits())
                .putLong(callId).flip();
    }

    /** Reads a request frame (without its length prefix); the body is a view of the frame. */
    public static Request decodeRequest(ByteBuffer frame) {
        ByteBuffer b = frame.slice();
        if (b.remaining() < REQUEST_HEADER) {
            throw new IllegalArgumentException("data request of " + b.remaining() + " bytes is shorter than its "
                    + REQUEST_HEADER + "-byte header");
        }
        long tag = b.getLong();
        int kind = b.get();
        if (kind < 0 || kind >= Kind.values().length) {
            throw new IllegalArgumentException("unknown data request kind " + kind);
        }
        UUID group = new UUID(b.getLong(), b.getLong());
        UUID client = new UUID(b.getLong(), b.getLong());
        long callId = b.getLong();
        return new Request(tag, Kind.values()[kind], group, client, callId, b.slice());
    }

    /** The header of a reply; its body follows on the wire. */
    public static ByteBuffer replyHeader(long tag, Status status) {
        return ByteBuffer.allocate(9).putLong(tag).put((byte) status.ordinal()).flip();
    }

    public static ByteBuffer leaderBody(long chunkServerId) {
        return ByteBuffer.allocate(8).putLong(chunkServerId).flip();
    }

    public static ByteBuffer messageBody(String message) {
        return ByteBuffer.wrap(String.valueOf(message).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a reply frame (without its length prefix); the body is a view of the frame. */
    public static Reply decodeReply(ByteBuffer frame) {
        ByteBuffer b = frame.slice();
        if (b.remaining() < 9) {
            throw new IllegalArgumentException("data reply of " + b.remaining() + " bytes is shorter than 9");
        }
        long tag = b.getLong();
        int status = b.get();
        if (status < 0 || status >= Status.values().length) {
            throw new IllegalArgumentException("unknown data reply status " + status);
        }
        return new Reply(tag, Status.values()[status], b.slice());
    }
}
