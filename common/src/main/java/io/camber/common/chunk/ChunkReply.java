package io.camber.common.chunk;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;

/** The answer of a copyset: OK with data (reads) or a number (stats), or an error code and message. */
public record ChunkReply(ErrorCode error, String detail, long value, ByteBuffer data) {

    public static ChunkReply ok(long value, ByteBuffer data) {
        return new ChunkReply(null, null, value, data);
    }

    public static ChunkReply failure(CamberException e) {
        return new ChunkReply(e.code(), e.getMessage(), 0, null);
    }

    public boolean ok() {
        return error == null;
    }

    /** The data of a successful reply, or the failure rethrown with its code. */
    public ChunkReply orThrow() {
        if (error != null) {
            throw new CamberException(error, detail);
        }
        return this;
    }

    public ByteBuffer encode() {
        // The code travels by name, so adding codes never changes the meaning of old replies.
        byte[] code = error == null ? new byte[0] : error.name().getBytes(StandardCharsets.US_ASCII);
        byte[] text = detail == null ? new byte[0] : detail.getBytes(StandardCharsets.UTF_8);
        int dataLen = data == null ? 0 : data.remaining();
        ByteBuffer b = ByteBuffer.allocate(1 + code.length + 8 + 4 + text.length + dataLen);
        b.put((byte) code.length).put(code).putLong(value).putInt(text.length).put(text);
        if (data != null) {
            b.put(data.duplicate());
        }
        return b.flip();
    }

    public static ChunkReply decode(ByteBuffer in) {
        ByteBuffer b = in.slice();
        byte[] code = new byte[b.get()];
        b.get(code);
        long value = b.getLong();
        byte[] text = new byte[b.getInt()];
        b.get(text);
        ErrorCode error = code.length == 0 ? null : ErrorCode.valueOf(new String(code, StandardCharsets.US_ASCII));
        return new ChunkReply(error, error == null ? null : new String(text, StandardCharsets.UTF_8), value, b.slice());
    }

    /** One reply per request of a BATCH, in order, packed into one reply (value = count). */
    public static ChunkReply batch(List<ChunkReply> replies) {
        List<ByteBuffer> encoded = new ArrayList<>(replies.size());
        int size = 0;
        for (ChunkReply r : replies) {
            ByteBuffer e = r.encode();
            encoded.add(e);
            size += 4 + e.remaining();
        }
        ByteBuffer packed = ByteBuffer.allocate(size);
        for (ByteBuffer e : encoded) {
            packed.putInt(e.remaining()).put(e);
        }
        return ok(replies.size(), packed.flip());
    }

    /** The replies packed by {@link #batch}, in request order. */
    public List<ChunkReply> unbatch() {
        List<ChunkReply> out = new ArrayList<>((int) value);
        ByteBuffer b = data.duplicate();
        for (long i = 0; i < value; i++) {
            int len = b.getInt();
            out.add(decode(b.slice(b.position(), len)));
            b.position(b.position() + len);
        }
        return out;
    }
}
