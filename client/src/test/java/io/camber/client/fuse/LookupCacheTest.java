package io.camber.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.FileType;
import io.camber.meta.fs.Inode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LookupCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private static Inode inode(long ino) {
        return new Inode(ino, FileType.REGULAR.mode(0644), 0, 0, 1, 0, 0, 0, 0, 0, 1, null, List.of());
    }

    @Test
    void entriesAndAttributesExpireOnTheirOwnTimeouts() {
        LookupCache cache = new LookupCache(Duration.ofNanos(100), Duration.ofNanos(10), now::get);
        cache.put("/a", inode(7));
        assertThat(cache.ino("/a")).isEqualTo(7L);
        assertThat(cache.attr(7)).isNotNull();
        now.addAndGet(10);
        assertThat(cache.attr(7)).as("attributes past attr_timeout").isNull();
        assertThat(cache.ino("/a")).isEqualTo(7L);
        now.addAndGet(90);
        assertThat(cache.ino("/a")).as("name past entry_timeout").isNull();
    }

    @Test
    void zeroTimeoutsCacheNothing() {
        LookupCache cache = new LookupCache(Duration.ZERO, Duration.ZERO, now::get);
        cache.put("/a", inode(7));
        assertThat(cache.ino("/a")).isNull();
        assertThat(cache.attr(7)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void forgettingADirectoryForgetsEverythingBelowItButNotItsNamesakes() {
        LookupCache cache = new LookupCache(Duration.ofSeconds(1), Duration.ofSeconds(1), now::get);
        cache.put("/d", inode(2));
        cache.put("/d/x", inode(3));
        cache.put("/d/x/y", inode(4));
        cache.put("/dd", inode(5));
        cache.forgetTree("/d");
        assertThat(cache.ino("/d")).isNull();
        assertThat(cache.ino("/d/x")).isNull();
        assertThat(cache.ino("/d/x/y")).isNull();
        assertThat(cache.ino("/dd")).isEqualTo(5L);
    }

    @Test
    void aHugeTreeWalkDoesNotGrowTheCacheWithoutBound() {
        LookupCache cache = new LookupCache(Duration.ofSeconds(1), Duration.ZERO, now::get);
        for (int i = 0; i < LookupCache.SWEEP_ABOVE + 10; i++) {
            cache.putEntry("/f" + i, i + 2);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(LookupCache.SWEEP_ABOVE + 1);
    }

    @Test
    void aLookupOrListingThatRacedALocalChangeIsNotRemembered() {
        LookupCache cache = new LookupCache(Duration.ofSeconds(1), Duration.ofSeconds(1), now::get);
        long before = cache.changes();
        cache.changed();
        assertThat(cache.putLooked("/a", inode(7), before)).isFalse();
        assertThat(cache.ino("/a")).isNull();
        assertThat(cache.putLooked("/a", inode(7), cache.changes())).isTrue();
        assertThat(cache.ino("/a")).isEqualTo(7L);
        cache.forgetTree("/x"); // any forget is a change too
        assertThat(cache.putListed("/", List.of(), before + 1)).isFalse();
    }
}
