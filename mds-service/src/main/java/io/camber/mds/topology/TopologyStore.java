package io.camber.mds.topology;

import io.camber.mds.raft.Keys;
import io.camber.mds.topology.Topology.ChunkServer;
import io.camber.mds.topology.Topology.Copyset;
import io.camber.mds.topology.Topology.LogicalPool;
import io.camber.mds.topology.Topology.MetaServer;
import io.camber.mds.topology.Topology.PhysicalPool;
import io.camber.mds.topology.Topology.Server;
import io.camber.mds.topology.Topology.Zone;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the topology in RocksDB: one document for pools, zones, servers and chunk servers (small,
 * rewritten on change) and one key per copyset (many, written once when placed).
 */
public final class TopologyStore {
    private static final byte[] DOC_KEY = Keys.text("topology");

    private TopologyStore() {
    }

    /** The stored form of everything but copysets; metaServers is null in documents stored before them. */
    record Document(long nextId, List<PhysicalPool> physicalPools, List<Zone> zones, List<Server> servers,
                    List<ChunkServer> chunkServers, List<LogicalPool> logicalPools, List<MetaServer> metaServers) {
    }

    /** Stored members of one copyset and how often they changed (null in copysets stored before changes). */
    record Members(List<Long> members, Long epoch) {
    }

    public static Topology load(RocksStore store) {
        byte[] doc = store.get(Keys.TOPOLOGY, DOC_KEY);
        if (doc == null) {
            return Topology.empty();
        }
        Document d = Json.read(doc, Document.class);
        Map<Long, List<Copyset>> copysets = new HashMap<>();
        store.scan(Keys.COPYSETS, new byte[0], Integer.MAX_VALUE, (k, v) -> {
            long pool = Keys.firstId(k);
            int id = (int) Keys.secondId(k);
            copysets.computeIfAbsent(pool, p -> new ArrayList<>()).add(copyset(pool, id, Json.read(v, Members.class)));
        });
        Map<Long, List<Copyset>> frozen = new HashMap<>();
        copysets.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Topology(d.nextId(), d.physicalPools(), d.zones(), d.servers(), d.chunkServers(), d.logicalPools(),
                Map.copyOf(frozen), d.metaServers());
    }

    /** Writes what changed between before and after into the batch. */
    public static void save(RocksStore.Batch batch, Topology before, Topology after) {
        Document doc = new Document(after.nextId(), after.physicalPools(), after.zones(), after.servers(),
                after.chunkServers(), after.logicalPools(), after.metaServers());
        batch.put(Keys.TOPOLOGY, DOC_KEY, Json.write(doc));
        for (Map.Entry<Long, List<Copyset>> e : before.copysets().entrySet()) {
            if (!after.copysets().containsKey(e.getKey())) {
                e.getValue().forEach(c -> batch.delete(Keys.COPYSETS, Keys.ids(c.logicalPoolId(), c.id())));
            }
        }
        for (Map.Entry<Long, List<Copyset>> e : after.copysets().entrySet()) {
            List<Copyset> old = before.copysetsOf(e.getKey());
            // Copysets are only ever appended (new ones past the old count) or changed in place (members replaced).
            for (int i = 0; i < e.getValue().size(); i++) {
                Copyset c = e.getValue().get(i);
                if (i >= old.size() || !old.get(i).equals(c)) {
                    batch.put(Keys.COPYSETS, Keys.ids(c.logicalPoolId(), c.id()),
                            Json.write(new Members(c.members(), c.epoch())));
                }
            }
        }
    }

    private static Copyset copyset(long pool, int id, Members stored) {
        return new Copyset(pool, id, stored.members(), stored.epoch() == null ? 0 : stored.epoch());
    }
}
