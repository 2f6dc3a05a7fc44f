package io.camber.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StataheadTest {
    private static final long DIR = 9;
    private static final Duration ENTRY_TIMEOUT = Duration.ofSeconds(1);

    private final AtomicLong now = new AtomicLong(1_000);
    private final LookupCache cache = new LookupCache(ENTRY_TIMEOUT, ENTRY_TIMEOUT, now::get);
    private final List<Listing> listings = new ArrayList<>();
    private final Statahead statahead = new Statahead(this::list, cache, ENTRY_TIMEOUT, now::get);

    private record Listing(long dir, String after, CompletableFuture<List<MetaResult.Entry>> reply) {
    }

    private CompletableFuture<List<MetaResult.Entry>> list(long dir, String after, int max) {
        Listing listing = new Listing(dir, after, new CompletableFuture<>());
        listings.add(listing);
        return listing.reply;
    }

    private static MetaResult.Entry entry(String name, long ino) {
        Inode attr = new Inode(ino, FileType.REGULAR.mode(0644), 0, 0, 1, 4096, 0, 0, 0, 0, DIR, null, List.of());
        return new MetaResult.Entry(name, ino, FileType.REGULAR, attr);
    }

    private void missThree() {
        statahead.found(DIR, "/d", "f0", cache.changes());
        statahead.found(DIR, "/d", "f1", cache.changes());
        statahead.found(DIR, "/d", "f2", cache.changes());
    }

    @Test
    void threeMissesInADirectoryListItFromItsStartAndFillTheCache() {
        statahead.found(DIR, "/d", "f0", cache.changes());
        statahead.found(DIR, "/d", "f1", cache.changes());
        assertThat(listings).as("two misses may be chance").isEmpty();
        statahead.found(DIR, "/d", "f2", cache.changes());
        assertThat(listings).hasSize(1);
        assertThat(listings.get(0).dir()).isEqualTo(DIR);
        assertThat(listings.get(0).after()).as("from the start: f10 sorts before f2").isNull();

        listings.get(0).reply().complete(List.of(entry("f3", 13), entry("f4", 14)));
        assertThat(cache.ino("/d/f3")).isEqualTo(13L);
        assertThat(cache.attr(14)).isNotNull();
        assertThat(cache.attr(14).size()).isEqualTo(4096);
    }

    @Test
    void aFullPageIsFollowedByTheNextOnTheNextMissesWithoutWaiting() {
        missThree();
        List<MetaResult.Entry> full = new ArrayList<>();
        for (int i = 0; i < Statahead.PAGE; i++) {
            full.add(entry(String.format("g%05d", i), 100 + i));
        }
        listings.get(0).reply().complete(full);
        missThree();
        assertThat(listings).hasSize(2);
        assertThat(listings.get(1).after()).isEqualTo(String.format("g%05d", Statahead.PAGE - 1));
        listings.get(1).reply().complete(List.of(entry("h", 7)));
        missThree();
        assertThat(listings).as("the pass reached the end: the next starts over, later").hasSize(2);
    }

    @Test
    void aListingThatRacedAChangeThroughThisMountIsDropped() {
        missThree();
        cache.changed(); // say an unlink of f3 finished while the listing was on its way
        listings.get(0).reply().complete(List.of(entry("f3", 13)));
        assertThat(cache.ino("/d/f3")).as("f3 may be gone: the listing can predate the unlink").isNull();
    }

    @Test
    void aListingIsDroppedWhenTheDirectoryPathWasRenamedAfterItWasResolved() {
        long resolvedAt = cache.changes(); // "/d" resolved to DIR here...
        cache.changed(); // ...then mv d e finished through this mount, before the walk's lookups came back
        for (int i = 0; i < 3; i++) {
            statahead.found(DIR, "/d", "f" + i, resolvedAt);
        }
        listings.get(0).reply().complete(List.of(entry("f3", 13)));
        assertThat(cache.ino("/d/f3")).as("DIR is /e now: /d/f3 names nothing").isNull();
    }

    @Test
    void aFailedOrDroppedListingGivesBackItsSlot() {
        for (long dir = 1; dir <= 2; dir++) {
            for (int i = 0; i < 3; i++) {
                statahead.found(dir, "/d" + dir, "f" + i, cache.changes());
            }
        }
        listings.get(0).reply().completeExceptionally(new IllegalStateException("no leader"));
        listings.get(1).reply().complete(null);
        for (long dir = 3; dir <= 4; dir++) {
            for (int i = 0; i < 3; i++) {
                statahead.found(dir, "/d" + dir, "f" + i, cache.changes());
            }
        }
        assertThat(listings).as("both slots free again").hasSize(4);
    }

    @Test
    void aDirectoryThisMountChangesStartsCountingAgain() {
        statahead.found(DIR, "/d", "f0", cache.changes());
        statahead.found(DIR, "/d", "f1", cache.changes());
        statahead.changed(DIR); // rm -rf: a lookup, an unlink, a lookup...
        statahead.found(DIR, "/d", "f2", cache.changes());
        assertThat(listings).isEmpty();
    }

    @Test
    void oneDirectoryIsListedAtMostOncePerHalfEntryTimeout() {
        missThree();
        listings.get(0).reply().complete(List.of());
        missThree();
        assertThat(listings).as("listed just now").hasSize(1);
        now.addAndGet(ENTRY_TIMEOUT.toNanos() / 2);
        missThree();
        assertThat(listings).hasSize(2);
    }

    @Test
    void aListingInFlightIsNotRepeatedAndAFailedOneStoresNothing() {
        missThree();
        missThree();
        assertThat(listings).hasSize(1);
        listings.get(0).reply().completeExceptionally(new IllegalStateException("no leader"));
        assertThat(cache.size()).isZero();
    }

    @Test
    void atMostTwoListingsRunAtOnce() {
        for (long dir = 1; dir <= 3; dir++) {
            for (int i = 0; i < 3; i++) {
                statahead.found(dir, "/d" + dir, "f" + i, cache.changes());
            }
        }
        assertThat(listings).hasSize(Statahead.MAX_IN_FLIGHT);
        listings.get(0).reply().complete(List.of());
        for (int i = 0; i < 3; i++) {
            statahead.found(3, "/d3", "g" + i, cache.changes());
        }
        assertThat(listings).hasSize(3);
    }

    @Test
    void withoutAnEntryTimeoutNothingIsListed() {
        Statahead off = new Statahead(this::list, cache, Duration.ZERO, now::get);
        for (int i = 0; i < 10; i++) {
            off.found(DIR, "/d", "f" + i, cache.changes());
        }
        assertThat(listings).isEmpty();
    }
}
