package io.camber.client.fuse;

import io.camber.meta.protocol.MetaResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * Lists a directory ahead of a walk through it, as Lustre's statahead and NFS's READDIRPLUS do. When several lookups
 * of names that exist in one directory missed the cache in a row (a stat or open of every file after the entries
 * expired: mdtest's stat and read phases, a backup, {@code ls -l} of a tree read a while ago), the directory is read
 * in the background one page at a time from its start, with attributes, the way readdir reads it, and the next
 * lookups of the walk are answered from the {@link LookupCache}. A walk's names come in no particular order (f1, f2 ...
 * f10 is not the listing's f1, f10, f100 ...), so a listing from the name just looked up would miss part of them.
 * What is stored is what a readdir would have stored, under the same timeouts. A directory this mount changes (an
 * untar, an {@code rm -rf}) starts counting again: its listing would be out of date at once. A listing that raced any
 * change made through this mount is dropped, since it may have been read before the change.
 */
final class Statahead {
    /** Lookups of existing names that missed, in one directory with no change between them, before it is listed. */
    static final int MISSES_BEFORE_LISTING = 3;
    /** Entries one listing fetches: one readdir page. */
    static final int PAGE = 1024;
    /** Pages of one directory read in one pass: a walk of a huge directory in random order gains little from more. */
    static final int MAX_PAGES = 64;
    /** Listings in flight at once, across directories: bounds the memory and CPU a wide walk can take. */
    static final int MAX_IN_FLIGHT = 2;
    /** Directories tracked at once; past it the counts start over (a wide walk loses nothing but its head start). */
    static final int MAX_TRACKED = 4096;

    /** Lists up to max entries of dir after the name {@code after}, with attributes. */
    interface Lister {
        CompletableFuture<List<MetaResult.Entry>> list(long dir, String after, int max);
    }

    private static final class Walk {
        int misses;
        boolean listing;
        /** The last name listed when the pass has more pages to read; null when the next listing starts over. */
        String resumeAfter;
        int pages;
        /** When the last pass ended, if one did. */
        long passEndedAt;
        boolean passEnded;
    }

    private final Lister lister;
    private final LookupCache cache;
    private final LongSupplier clock;
    /** Least time between two listings of one directory: half the entry timeout, in which their entries stay. */
    private final long relistNanos;
    private final ConcurrentHashMap<Long, Walk> walks = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    Statahead(Lister lister, LookupCache cache, Duration entryTimeout, LongSupplier nanoClock) {
        this.lister = lister;
        this.cache = cache;
        this.clock = nanoClock;
        this.relistNanos = entryTimeout.toNanos() / 2;
    }

    /**
     * A lookup of {@code name} in dir (at dirPath) missed the cache and found it. changesBefore is the cache's
     * change count read before dirPath was resolved: a listing is stored under dirPath only if no change through
     * this mount (a rename of dirPath, say) came after it.
     */
    void found(long dir, String dirPath, String name, long changesBefore) {
        if (relistNanos <= 0) {
            return; // entries are not cached: a listing would be thrown away
        }
        if (walks.size() > MAX_TRACKED) {
            walks.clear();
        }
        Walk walk = walks.computeIfAbsent(dir, d -> new Walk());
        long now = clock.getAsLong();
        String after;
        synchronized (walk) {
            boolean startingOver = walk.resumeAfter == null;
            if (walk.listing || ++walk.misses < MISSES_BEFORE_LISTING
                    || startingOver && walk.passEnded && now - walk.passEndedAt < relistNanos
                    || !inFlight.tryAcquire()) {
                return;
            }
            walk.misses = 0;
            walk.listing = true;
            after = walk.resumeAfter;
        }
        CompletableFuture<List<MetaResult.Entry>> listing;
        try {
            listing = lister.list(dir, after, PAGE);
        } catch (RuntimeException e) {
            listing = CompletableFuture.failedFuture(e);
        }
        listing.whenComplete((page, error) -> {
            boolean stored = false;
            try {
                stored = error == null && page != null && cache.putListed(dirPath, page, changesBefore);
            } finally {
                synchronized (walk) {
                    walk.listing = false;
                    walk.pages++;
                    boolean more = stored && page.size() == PAGE && walk.pages < MAX_PAGES;
                    walk.resumeAfter = more ? page.get(page.size() - 1).name() : null;
                    if (!more) {
                        walk.pages = 0;
                        walk.passEnded = true;
                        walk.passEndedAt = clock.getAsLong();
                    }
                }
                inFlight.release();
            }
        });
    }

    /** This mount changed a name in dir: the walk, if any, starts over. */
    void changed(long dir) {
        walks.remove(dir);
    }
}
