package io.camber.client.fuse;

import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What this mount learned recently: path → inode number (for entryTimeout) and inode → attributes (for
 * attrTimeout). libfuse's high-level API names every file by path, so without this cache each callback would walk
 * the path from the root, one metadata round trip per component. Changes made through this mount update or drop
 * entries at once; changes by other clients show after the timeouts, as with the kernel's own caches.
 */
final class LookupCache {
    /** Past this many entries a put first sweeps out the expired ones, so a tree walk cannot grow it unbounded. */
    static final int SWEEP_ABOVE = 200_000;

    private record Timed<T>(T value, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Timed<Long>> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Timed<Inode>> attrs = new ConcurrentHashMap<>();
    private final long entryNanos;
    private final long attrNanos;
    private final LongSupplier clock;
    /** Changes made through this mount so far; a listing that raced one may predate it (see {@link #putListed}). */
    private long changes;

    LookupCache(Duration entryTimeout, Duration attrTimeout, LongSupplier nanoClock) {
        this.entryNanos = entryTimeout.toNanos();
        this.attrNanos = attrTimeout.toNanos();
        this.clock = nanoClock;
    }

    /** The inode number path named recently, or null. */
    Long ino(String path) {
        Timed<Long> t = entries.get(path);
        if (t == null || t.expiresAt - clock.getAsLong() <= 0) {
            return null;
        }
        return t.value;
    }

    /** The attributes of ino fetched recently, or null. */
    Inode attr(long ino) {
        Timed<Inode> t = attrs.get(ino);
        if (t == null || t.expiresAt - clock.getAsLong() <= 0) {
            return null;
        }
        return t.value;
    }

    /** Remembers that path names this inode, with its attributes. */
    void put(String path, Inode inode) {
        putEntry(path, inode.ino());
        putAttr(inode);
    }

    void putEntry(String path, long ino) {
        if (entryNanos > 0) {
            sweepIfLarge(entries);
            entries.put(path, new Timed<>(ino, clock.getAsLong() + entryNanos));
        }
    }

    void putAttr(Inode inode) {
        if (attrNanos > 0) {
            sweepIfLarge(attrs);
            attrs.put(inode.ino(), new Timed<>(inode, clock.getAsLong() + attrNanos));
        }
    }

    void forgetAttr(long ino) {
        attrs.remove(ino);
    }

    /**
     * Notes that this mount changed a name or an attribute, so that a listing in flight, which may have been read
     * before the change, is not stored over what the change left behind. Call it before updating the cache.
     */
    synchronized void changed() {
        changes++;
    }

    synchronized long changes() {
        return changes;
    }

    /** Remembers path → inode as {@link #put} does, unless this mount changed anything since changesBefore. */
    synchronized boolean putLooked(String path, Inode inode, long changesBefore) {
        if (changes != changesBefore) {
            return false;
        }
        put(path, inode);
        return true;
    }

    /**
     * Stores a listing of dir (the entries, and their attributes where the listing carried them) unless this mount
     * changed anything since {@code changesBefore} was read, before the listing was sent. Returns whether it did.
     */
    synchronized boolean putListed(String dir, List<MetaResult.Entry> listed, long changesBefore) {
        if (changes != changesBefore) {
            return false;
        }
        for (MetaResult.Entry e : listed) {
            putEntry(FusePaths.child(dir, e.name()), e.ino());
            if (e.attr() != null) {
                putAttr(e.attr());
            }
        }
        return true;
    }

    /** Forgets path and, when it was a directory, every path below it (a rename or rmdir moved or removed them). */
    void forgetTree(String path) {
        changed();
        entries.remove(path);
        String prefix = path.equals("/") ? "/" : path + "/";
        entries.keySet().removeIf(p -> p.startsWith(prefix));
    }

    int size() {
        return entries.size() + attrs.size();
    }

    private <K, T> void sweepIfLarge(ConcurrentHashMap<K, Timed<T>> map) {
        if (map.size() > SWEEP_ABOVE) {
            long now = clock.getAsLong();
            map.values().removeIf(t -> t.expiresAt - now <= 0);
            if (map.size() > SWEEP_ABOVE) {
                map.clear(); // all still fresh: a cache miss costs a round trip, an unbounded map costs the process
            }
        }
    }
}
