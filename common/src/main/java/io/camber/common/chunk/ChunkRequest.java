package io.camber.common.chunk;

import io.camber.common.CamberException;

import java.nio.ByteBuffer;

/**
 * One request to a copyset: what travels in a Raft log entry (writes, deletes) or a read-only query
 * (reads, stats). Binary: a fixed 45-byte header, then the payload of a write.
 *
 * @param volumeId the volume the chunk belongs to (0 for none), for the IO fence
 * @param epoch    the writer's epoch for that volume; older than the newest seen is refused
 */
public record ChunkRequest(Op op, long volumeId, long epoch, long chunkId, long offset, int length, ByteBuffer data) {
    /** Bytes before the payload. */
    public static final int HEADER = 1 + 8 + 8 + 8 + 8 + 4 + 8;
    private static final long MAGIC = 0x43414d4245520001L; // "CAMBER" + version 1

    /** Operations on chunks; FENCE raises a volume's epoch on a copyset without writing data. */
    public enum Op { WRITE, READ, DELETE, STAT, FENCE }

    public static ChunkRequest write(long volumeId, long epoch, long chunkId, long offset, ByteBuffer data) {
        return new ChunkRequest(Op.WRITE, volumeId, epoch, chunkId, offset, data.remaining(), data);
    }

    public static ChunkRequest read(long chunkId, long offset, int length) {
        return new ChunkRequest(Op.READ, 0, 0, chunkId, offset, length, null);
    }

    public static ChunkRequest delete(long volumeId, long epoch, long chunkId) {
        return new ChunkRequest(Op.DELETE, volumeId, epoch, chunkId, 0, 0, null);
    }

    /** Raises the newest epoch of a volume on a copyset, so older writers are refused from then on. */
    public static ChunkRequest fence(long volumeId, long epoch) {
        return new ChunkRequest(Op.FENCE, volumeId, epoch, 0, 0, 0, null);
    }

    public static ChunkRequest stat(long chunkId) {
        return new ChunkRequest(Op.STAT, 0, 0, chunkId, 0, 0, null);
    }

    /** The header alone; a write's payload follows it on the wire without being copied into it. */
    public ByteBuffer encodeHeader() {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.put((byte) op.ordinal()).putLong(volumeId).putLong(epoch).putLong(chunkId).putLong(offset).putInt(length)
                .putLong(MAGIC);
        return b.flip();
    }

    /** Decodes a request; the payload is a view of the input, not a copy. */
    public static ChunkRequest decode(ByteBuffer in) {
        if (in.remaining() < HEADER) {
            throw CamberException.invalid("chunk request of " + in.remaining() + " bytes is shorter than its header");
        }
        ByteBuffer b = in.slice();
        int opIndex = b.get();
        long volumeId = b.getLong();
        long epoch = b.getLong();
        long chunkId = b.getLong();
        long offset = b.getLong();
        int length = b.getInt();
        if (b.getLong() != MAGIC || opIndex < 0 || opIndex >= Op.values().length) {
            throw CamberException.invalid("not a Camber chunk request (bad magic or operation)");
        }
        Op op = Op.values()[opIndex];
        ByteBuffer data = null;
        if (op == Op.WRITE) {
            if (b.remaining() != length) {
                throw CamberException.invalid("write announces " + length + " bytes but carries " + b.remaining());
            }
            data = b.slice();
        }
        return new ChunkRequest(op, volumeId, epoch, chunkId, offset, length, data);
    }
}
