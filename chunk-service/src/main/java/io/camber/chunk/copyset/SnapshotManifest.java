package io.camber.chunk.copyset;

import io.camber.common.CamberException;
import org.apache.ratis.server.protocol.TermIndex;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a leader's latest snapshot holds, as a catching-up replica needs it: the snapshot's term and index, the IO
 * fence's epochs, the size of every chunk file and the ids of the chunks. The files themselves are read separately
 * and live (see {@link CopysetSnapshots} for why content newer than the index is safe).
 */
record SnapshotManifest(TermIndex termIndex, Map<Long, Long> epochs, long fileSize, List<Long> chunkIds) {
    private static final long MAGIC = 0x43414d4245524d31L; // "CAMBERM1"

    CopysetSnapshots.Meta meta() {
        return new CopysetSnapshots.Meta(termIndex, epochs);
    }

    /** Whether both describe the same snapshot of the same leader state: then fetched files can be kept. */
    boolean sameSnapshot(SnapshotManifest other) {
        return other != null && termIndex.equals(other.termIndex) && fileSize == other.fileSize;
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(8 * 6 + epochs.size() * 16 + chunkIds.size() * 8);
        b.putLong(MAGIC).putLong(termIndex.getTerm()).putLong(termIndex.getIndex()).putLong(fileSize);
        b.putLong(epochs.size());
        new TreeMap<>(epochs).forEach((volume, epoch) -> b.putLong(volume).putLong(epoch));
        b.putLong(chunkIds.size());
        chunkIds.forEach(b::putLong);
        return b.flip();
    }

    static SnapshotManifest decode(ByteBuffer in) {
        ByteBuffer b = in.slice();
        try {
            if (b.getLong() != MAGIC) {
                throw CamberException.invalid("not a copyset snapshot manifest");
            }
            TermIndex termIndex = TermIndex.valueOf(b.getLong(), b.getLong());
            long fileSize = b.getLong();
            long epochCount = b.getLong();
            checkCount(epochCount, b.remaining() / 16);
            Map<Long, Long> epochs = new TreeMap<>();
            for (long i = 0; i < epochCount; i++) {
                epochs.put(b.getLong(), b.getLong());
            }
            long chunkCount = b.getLong();
            checkCount(chunkCount, b.remaining() / 8);
            List<Long> ids = new ArrayList<>((int) chunkCount);
            for (long i = 0; i < chunkCount; i++) {
                ids.add(b.getLong());
            }
            return new SnapshotManifest(termIndex, epochs, fileSize, List.copyOf(ids));
        } catch (java.nio.BufferUnderflowException e) {
            throw CamberException.invalid("copyset snapshot manifest is truncated");
        }
    }

    private static void checkCount(long count, long fits) {
        if (count < 0 || count > fits) {
            throw CamberException.invalid("copyset snapshot manifest announces " + count + " entries, holds " + fits);
        }
    }
}
