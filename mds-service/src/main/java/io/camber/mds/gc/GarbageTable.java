package io.camber.mds.gc;

import io.camber.common.api.ChunkGarbage;
import io.camber.common.api.SegmentInfo;
import io.camber.mds.raft.Keys;
import io.camber.mds.topology.Topology;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunks freed by deleted volumes, keyed by logical pool, copyset and chunk id, until the chunk servers leading
 * their copysets report them deleted. Written in the same batch that deletes the volume, so no chunk is ever
 * forgotten, and only read and trimmed afterwards.
 */
public final class GarbageTable {
    private final RocksStore store;
    private final RocksStore.Batch batch;

    public GarbageTable(RocksStore store, RocksStore.Batch batch) {
        this.store = store;
        this.batch = batch;
    }

    /** Records every chunk of the given segments of a deleted volume whose last epoch was lastEpoch. */
    public void collect(List<SegmentInfo> segments, long lastEpoch) {
        for (SegmentInfo s : segments) {
            for (SegmentInfo.ChunkLocation c : s.chunks()) {
                ChunkGarbage g = new ChunkGarbage(s.logicalPoolId(), c.copysetId(), c.chunkId(), s.volumeId(),
                        lastEpoch + 1);
                batch.put(Keys.GARBAGE, key(g), Json.write(g));
            }
        }
    }

    /** Drops the records of chunks that were deleted; unknown ones are ignored (reported twice, say). */
    public int forget(List<ChunkGarbage> deleted) {
        int n = 0;
        for (ChunkGarbage g : deleted) {
            byte[] k = key(g);
            if (store.get(Keys.GARBAGE, k) != null) {
                batch.delete(Keys.GARBAGE, k);
                n++;
            }
        }
        return n;
    }

    /** At most limit garbage chunks on copysets the chunk server is a member of, copyset by copyset. */
    public List<ChunkGarbage> of(Topology topology, long chunkServerId, int limit) {
        List<ChunkGarbage> out = new ArrayList<>();
        for (List<Topology.Copyset> pool : topology.copysets().values()) {
            for (Topology.Copyset c : pool) {
                if (out.size() >= limit) {
                    return out;
                }
                if (c.members().contains(chunkServerId)) {
                    store.scan(Keys.GARBAGE, prefix(c.logicalPoolId(), c.id()), limit - out.size(),
                            (k, v) -> out.add(Json.read(v, ChunkGarbage.class)));
                }
            }
        }
        return out;
    }

    /** How many chunks wait to be deleted. */
    public long count() {
        long[] n = {0};
        store.scan(Keys.GARBAGE, new byte[0], Integer.MAX_VALUE, (k, v) -> n[0]++);
        return n[0];
    }

    private static byte[] prefix(long logicalPoolId, int copysetId) {
        return ByteBuffer.allocate(12).putLong(logicalPoolId).putInt(copysetId).array();
    }

    private static byte[] key(ChunkGarbage g) {
        return ByteBuffer.allocate(20).putLong(g.logicalPoolId()).putInt(g.copysetId()).putLong(g.chunkId()).array();
    }
}
