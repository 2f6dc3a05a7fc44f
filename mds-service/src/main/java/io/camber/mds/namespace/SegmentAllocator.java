package io.camber.mds.namespace;

import io.camber.common.CamberException;
import io.camber.common.api.SegmentInfo;
import io.camber.common.api.SegmentInfo.ChunkLocation;
import io.camber.mds.raft.Keys;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.Topology.Copyset;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps each chunk of a segment to a copyset and a cluster-unique chunk id on first touch. Copysets
 * are dealt round robin from a per-pool cursor, so consecutive segments spread over the whole pool.
 * Commands are applied one at a time, so concurrent callers for the same offset get the same answer.
 */
public final class SegmentAllocator {
    private static final byte[] NEXT_CHUNK = Keys.text("ns.next-chunk-id");

    private SegmentAllocator() {
    }

    /** The allocated segment holding offset, or null. */
    public static SegmentInfo find(RocksStore store, Entry volume, long offset) {
        checkOffset(volume, offset);
        byte[] v = store.get(Keys.SEGMENTS, Keys.ids(volume.id(), offset / volume.segmentSize()));
        return v == null ? null : Json.read(v, SegmentInfo.class);
    }

    /** The segment holding offset, allocating it into the batch if it is new. */
    public static SegmentInfo getOrAllocate(RocksStore store, RocksStore.Batch batch, Entry volume, long offset,
                                            Topology topology) {
        SegmentInfo existing = find(store, volume, offset);
        if (existing != null) {
            return existing;
        }
        List<Copyset> copysets = topology.copysetsOf(volume.poolId());
        if (copysets.isEmpty()) {
            throw CamberException.conflict("the volume's logical pool has no copysets: its topology was removed");
        }
        int chunks = (int) (volume.segmentSize() / volume.chunkSize());
        byte[] cursorKey = Keys.text("ns.rr." + volume.poolId());
        long cursor = Keys.readLong(store.get(Keys.META, cursorKey), 0);
        long firstChunk = Keys.readLong(store.get(Keys.META, NEXT_CHUNK), 1);
        List<ChunkLocation> locations = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            Copyset c = copysets.get((int) ((cursor + i) % copysets.size()));
            locations.add(new ChunkLocation(c.id(), firstChunk + i));
        }
        long index = offset / volume.segmentSize();
        SegmentInfo segment = new SegmentInfo(volume.id(), index * volume.segmentSize(), volume.segmentSize(),
                volume.chunkSize(), volume.poolId(), List.copyOf(locations));
        batch.put(Keys.SEGMENTS, Keys.ids(volume.id(), index), Json.write(segment));
        batch.put(Keys.META, cursorKey, Keys.longValue((cursor + chunks) % copysets.size()));
        batch.put(Keys.META, NEXT_CHUNK, Keys.longValue(firstChunk + chunks));
        return segment;
    }

    /** Every allocated segment of a volume, in offset order. */
    public static List<SegmentInfo> list(RocksStore store, long volumeId) {
        List<SegmentInfo> out = new ArrayList<>();
        store.scan(Keys.SEGMENTS, Keys.id(volumeId), Integer.MAX_VALUE, (k, v) -> out.add(Json.read(v, SegmentInfo.class)));
        return out;
    }

    /** One page of a volume's segments in offset order: at most limit, after the segment holding offset after. */
    public static List<SegmentInfo> list(RocksStore store, Entry volume, Long after, int limit) {
        long first = after == null ? 0 : Math.floorDiv(after, volume.segmentSize()) + 1;
        List<SegmentInfo> out = new ArrayList<>();
        if (first < 0) {
            first = 0;
        }
        store.scan(Keys.SEGMENTS, Keys.id(volume.id()), Keys.ids(volume.id(), first), limit,
                (k, v) -> out.add(Json.read(v, SegmentInfo.class)));
        return out;
    }

    /** Forgets every segment of a deleted volume. */
    static void dropAll(RocksStore store, RocksStore.Batch batch, long volumeId) {
        store.scan(Keys.SEGMENTS, Keys.id(volumeId), Integer.MAX_VALUE, (k, v) -> batch.delete(Keys.SEGMENTS, k));
    }

    private static void checkOffset(Entry volume, long offset) {
        if (offset < 0 || offset >= volume.size()) {
            throw CamberException.invalid("offset " + offset + " is outside the volume (size " + volume.size()
                    + " bytes): give 0 <= offset < size");
        }
    }
}
