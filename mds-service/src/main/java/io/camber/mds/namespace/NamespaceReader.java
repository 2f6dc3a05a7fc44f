package io.camber.mds.namespace;

import io.camber.common.CamberException;
import io.camber.common.VolumePaths;
import io.camber.common.api.EntryInfo;
import io.camber.mds.raft.Keys;
import io.camber.mds.topology.Topology;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Looks entries up by path or id; shared by queries and by the command handlers. */
public final class NamespaceReader {
    /** Most children one listing returns. */
    public static final int LIST_LIMIT = 100_000;

    private final RocksStore store;

    public NamespaceReader(RocksStore store) {
        this.store = store;
    }

    /** The entry at path, or NOT_FOUND naming the first missing component. */
    public Entry resolve(String path) {
        List<String> names = VolumePaths.split(path);
        Entry current = Entry.root();
        List<String> walked = new ArrayList<>();
        for (String name : names) {
            if (current.isVolume()) {
                throw CamberException.invalid(VolumePaths.join(walked) + " is a volume, not a directory");
            }
            walked.add(name);
            current = child(current.id(), name).orElseThrow(() -> CamberException.notFound(
                    "no such volume or directory: " + VolumePaths.join(walked)));
        }
        return current;
    }

    public Optional<Entry> child(long parentId, String name) {
        byte[] v = store.get(Keys.DENTRIES, Keys.idAndName(parentId, name));
        return v == null ? Optional.empty() : Optional.of(Json.read(v, Entry.class));
    }

    public boolean hasChildren(long dirId) {
        boolean[] any = {false};
        store.scan(Keys.DENTRIES, Keys.id(dirId), 1, (k, v) -> any[0] = true);
        return any[0];
    }

    public List<Entry> children(long dirId) {
        List<Entry> out = new ArrayList<>();
        store.scan(Keys.DENTRIES, Keys.id(dirId), LIST_LIMIT, (k, v) -> out.add(Json.read(v, Entry.class)));
        return out;
    }

    /** The entry with this id, if it exists. */
    public Optional<Entry> byId(long id) {
        if (id == Entry.ROOT_ID) {
            return Optional.of(Entry.root());
        }
        byte[] dentry = store.get(Keys.INODES, Keys.id(id));
        if (dentry == null) {
            return Optional.empty();
        }
        byte[] v = store.get(Keys.DENTRIES, dentry);
        return v == null ? Optional.empty() : Optional.of(Json.read(v, Entry.class));
    }

    /** The absolute path of an entry, rebuilt by walking up to the root. */
    public String pathOf(Entry entry) {
        List<String> names = new ArrayList<>();
        Entry e = entry;
        while (e.id() != Entry.ROOT_ID) {
            names.add(0, e.name());
            e = byId(e.parentId()).orElseThrow();
        }
        return VolumePaths.join(names);
    }

    /** The wire form of an entry. */
    public static EntryInfo info(Entry e, String path, Topology topology) {
        String pool = e.isVolume() ? topology.logicalPool(e.poolId()).map(Topology.LogicalPool::name).orElse("?") : null;
        return new EntryInfo(e.id(), path, e.type(), e.owner(), e.size(), pool, e.chunkSize(), e.segmentSize(),
                e.epoch(), e.createdAtMillis());
    }
}
