package io.camber.chunk.store;

import static io.camber.chunk.store.ChunkFilePoolTest.poolFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkFileRefillerTest {
    static final long CHUNK = 256 * 1024;
    static final long FILE = ChunkLayout.of(CHUNK).fileSize();
    /** Long enough that only a take's wake-up can explain a refill seen within a test. */
    static final Duration NEVER = Duration.ofMinutes(10);

    @TempDir
    Path tmp;
    final AtomicLong usable = new AtomicLong(Long.MAX_VALUE);

    @Test
    void startFillsThePoolThenATakeBelowLowWaterRefillsItInTheBackground() throws Exception {
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 0);
        try (ChunkFileRefiller refiller = new ChunkFileRefiller(pool, guard(pool, 0), 4, 2, NEVER)) {
            refiller.start();
            assertThat(pool.available()).as("filled before start returns").isEqualTo(4);
            assertThat(refiller.running()).isTrue();

            pool.take(tmp.resolve("a"));
            pool.take(tmp.resolve("b"));
            Thread.sleep(200);
            assertThat(pool.available()).as("still at the low-water mark: not woken").isEqualTo(2);

            pool.take(tmp.resolve("c"));
            await(() -> pool.available() == 4, "pool refilled to its target");
            assertThat(pool.formattedOnDemand()).isZero();
            assertThat(pool.formattedInBackground()).isEqualTo(7);
            assertThat(poolFiles(tmp.resolve("pool"))).hasSize(4);
        }
    }

    @Test
    void keepsTheReserveAndTopsUpWhenSpaceComesBackWithoutWaitingForATake() throws Exception {
        long reserve = 3 * FILE;
        AtomicLong free = new AtomicLong(reserve + 2 * FILE);
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 0);
        // The disk as the pool fills it: each formatted file takes its size from what is free.
        SpaceGuard space = new SpaceGuard(() -> free.get() - pool.formattedInBackground() * FILE, pool, reserve);
        try (ChunkFileRefiller refiller = new ChunkFileRefiller(pool, space, 4, 1, Duration.ofMillis(50))) {
            refiller.start();
            assertThat(pool.available()).as("two files fit above the reserve, the third would eat into it")
                    .isEqualTo(2);
            assertThat(refiller.running()).as("a full disk does not stop the chunk server").isTrue();
            Thread.sleep(200);
            assertThat(pool.available()).isEqualTo(2);

            free.addAndGet(2 * FILE);
            await(() -> pool.available() == 4, "topped up on its own once space was freed");
            assertThat(space.usableBytes()).isEqualTo(reserve);
        }
    }

    @Test
    void aFormatThatFailsLeavesNoPartialFileAndTheRefillerRetries() throws Exception {
        Path dir = tmp.resolve("pool");
        ChunkFilePool pool = ChunkFilePool.open(dir, CHUNK, 0);
        Path away = tmp.resolve("away");
        Files.move(dir, away);
        assertThatThrownBy(pool::formatOne).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("is the disk full?");
        try (ChunkFileRefiller refiller = new ChunkFileRefiller(pool, guard(pool, 0), 2, 1,
                Duration.ofMillis(50))) {
            refiller.start();
            assertThat(pool.available()).isZero();

            Files.move(away, dir);
            await(() -> pool.available() == 2, "refilled after the failure cleared");
        }
        assertThat(poolFiles(dir)).hasSize(2);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void closeStopsTheThreadAndTakesNoLongerWakeIt() throws Exception {
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 0);
        ChunkFileRefiller refiller = new ChunkFileRefiller(pool, guard(pool, 0), 2, 2, NEVER);
        refiller.start();
        refiller.close();
        assertThat(refiller.running()).isFalse();

        pool.take(tmp.resolve("a"));
        Thread.sleep(200);
        assertThat(pool.available()).isEqualTo(1);
    }

    @Test
    void rejectsALowWaterMarkAboveTheTarget() {
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 0);
        assertThatThrownBy(() -> new ChunkFileRefiller(pool, guard(pool, 0), 2, 3, NEVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low-water");
        assertThat(ChunkFileRefiller.defaultLowWater(16)).isEqualTo(8);
        assertThat(ChunkFileRefiller.defaultLowWater(1)).isEqualTo(1);
    }

    private SpaceGuard guard(ChunkFilePool pool, long reserve) {
        return new SpaceGuard(usable::get, pool, reserve);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
