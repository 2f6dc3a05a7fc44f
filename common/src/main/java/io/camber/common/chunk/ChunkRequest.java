package io.camber.common.chunk;

import io.camber.common.CamberException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One request to a copyset: what travels in a Raft log entry (writes, deletes) or a read-only query
 * (reads, stats). Binary: a fixed 45-byte header, then the payload of a write. A BATCH carries several
 * log requests (writes, deletes, fences) in one entry, each encoded as above one after another; its
 * length field counts them.
 *
 * @param volumeId the volume the chunk belongs to (0 for none), for the IO fence
 * @param epoch    the writer's epoch for that volume; older than the newest seen is refused
 */
public record ChunkRequest(Op op, long volumeId, long epoch, long chunkId, long offset, int length, ByteBuffer data) {
    /** Bytes before the payload. */
    public static final int HEADER = 1 + 8 + 8 + 8 + 8 + 4 + 8;
    private static final long MAGIC = 0x43414d4245520001L; // "CAMBER" + version 1

    /**
     * Operations on chunks; FENCE raises a volume's epoch on a copyset without writing data. SCRUB and REPAIR are
     * internal to a copyset (its leader checking and mending replicas) and refused from clients: SCRUB reads a
     * replica's page checksums, REPAIR rewrites pages with a good replica's bytes if the chunk has not changed since
     * (its sequence, carried in the epoch field, still matches).
     */
    public enum Op {
        WRITE, READ, DELETE, STAT, FENCE, BATCH, SCRUB, REPAIR,
        /** A replica catching up asks its leader what its snapshot holds (see snapshotList). */
        SNAPSHOT_LIST,
        /** A replica catching up reads a range of one of its leader's chunk files as they are on disk. */
        SNAPSHOT_READ
    }

    /** Most requests one BATCH may carry. */
    public static final int MAX_BATCH = 256;

    /** Largest read a copyset answers in one reply (one data frame); clients split longer reads. */
    public static final int MAX_READ = 1 << 20;

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

    /** Asks one replica for the checksums of the pages of a range, checked against their bytes. */
    public static ChunkRequest scrub(long chunkId, long offset, int length) {
        return new ChunkRequest(Op.SCRUB, 0, 0, chunkId, offset, length, null);
    }

    /** Rewrites pages with bytes read from a good replica, applied only while the chunk's sequence is still that. */
    public static ChunkRequest repair(long chunkId, long offset, ByteBuffer data, long sequence) {
        return new ChunkRequest(Op.REPAIR, 0, sequence, chunkId, offset, data.remaining(), data);
    }

    /**
     * Whether clients may send this: SCRUB and REPAIR come only from a copyset's own leader, the SNAPSHOT_* reads only
     * from its replicas, over Raft.
     */
    public boolean fromClients() {
        return op != Op.SCRUB && op != Op.REPAIR && op != Op.SNAPSHOT_LIST && op != Op.SNAPSHOT_READ;
    }

    /** Asks a replica for its latest snapshot's term, index and fence epochs, and the chunks it holds. */
    public static ChunkRequest snapshotList() {
        return new ChunkRequest(Op.SNAPSHOT_LIST, 0, 0, 0, 0, 0, null);
    }

    /** Reads length bytes at offset of a chunk's file, meta area and checksums included (offset 0: its start). */
    public static ChunkRequest snapshotRead(long chunkId, long offset, int length) {
        return new ChunkRequest(Op.SNAPSHOT_READ, 0, 0, chunkId, offset, length, null);
    }

    public static ChunkRequest stat(long chunkId) {
        return new ChunkRequest(Op.STAT, 0, 0, chunkId, 0, 0, null);
    }

    /** The header of a BATCH of count requests; their encodings follow it. */
    public static ByteBuffer batchHeader(int count) {
        return new ChunkRequest(Op.BATCH, 0, 0, 0, 0, count, null).encodeHeader();
    }

    /** Whether this request changes state and so travels in a log entry (and may be batched). */
    public boolean isLogged() {
        return op == Op.WRITE || op == Op.DELETE || op == Op.FENCE || op == Op.REPAIR;
    }

    /** The requests of a BATCH, in order; their payloads are views of this request's, not copies. */
    public List<ChunkRequest> batch() {
        if (op != Op.BATCH) {
            throw CamberException.invalid(op + " is not a batch");
        }
        List<ChunkRequest> out = new ArrayList<>(length);
        ByteBuffer b = data.duplicate();
        for (int i = 0; i < length; i++) {
            ChunkRequest r = decodeOne(b);
            if (!r.isLogged() || r.op() == Op.REPAIR) {
                throw CamberException.invalid("a batch carries writes, deletes and fences, not " + r.op());
            }
            out.add(r);
        }
        if (b.hasRemaining()) {
            throw CamberException.invalid("batch of " + length + " requests has " + b.remaining() + " bytes left over");
        }
        return out;
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
        ByteBuffer b = in.slice();
        ChunkRequest r = decodeOne(b);
        if (b.hasRemaining()) {
            throw CamberException.invalid(r.op() + " request carries " + b.remaining() + " bytes after its end");
        }
        return r;
    }

    /** Decodes the request at b's position and moves b past it. */
    private static ChunkRequest decodeOne(ByteBuffer b) {
        if (b.remaining() < HEADER) {
            throw CamberException.invalid("chunk request of " + b.remaining() + " bytes is shorter than its header");
        }
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
        if (op == Op.WRITE || op == Op.REPAIR) {
            if (length < 0 || b.remaining() < length) {
                throw CamberException.invalid("write announces " + length + " bytes but carries " + b.remaining());
            }
            data = b.slice(b.position(), length);
            b.position(b.position() + length);
        } else if (op == Op.BATCH) {
            if (length < 1 || length > MAX_BATCH) {
                throw CamberException.invalid("batch of " + length + " requests: 1 to " + MAX_BATCH + " allowed");
            }
            data = b.slice();
            b.position(b.limit());
        }
        return new ChunkRequest(op, volumeId, epoch, chunkId, offset, length, data);
    }
}
