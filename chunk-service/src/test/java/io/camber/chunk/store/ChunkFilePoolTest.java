package io.camber.chunk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkFilePoolTest {
    static final long CHUNK = 256 * 1024;
    static final int META = ChunkLayout.of(CHUNK).metaSize();
    static final long FILE = CHUNK + META;

    @TempDir
    Path tmp;

    @Test
    void formatsRealZeroFilesOfTheRightSizeAndSurvivesReopen() throws Exception {
        Path dir = tmp.resolve("pool");
        ChunkFilePool pool = ChunkFilePool.open(dir, CHUNK, 3);

        assertThat(pool.available()).isEqualTo(3);
        assertThat(poolFiles(dir)).containsExactly("pool-0", "pool-1", "pool-2");
        for (String name : poolFiles(dir)) {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            assertThat(bytes).hasSize((int) FILE);
            assertThat(countNonZero(bytes)).isZero();
            assertThat(allocatedBytes(dir.resolve(name))).as("blocks really allocated, not sparse")
                    .isGreaterThanOrEqualTo(FILE);
        }
        assertThat(Files.readString(dir.resolve("pool.meta"))).contains("chunkSize=" + CHUNK);

        ChunkFilePool reopened = ChunkFilePool.open(dir, CHUNK, 2);
        assertThat(reopened.available()).as("reopen keeps files above the target").isEqualTo(3);
        assertThat(ChunkFilePool.open(dir, CHUNK, 5).available()).isEqualTo(5);
        assertThat(poolFiles(dir)).hasSize(5);
    }

    @Test
    void staleTmpFromACrashedFormatIsDeletedOnOpen() throws Exception {
        Path dir = tmp.resolve("pool");
        ChunkFilePool.open(dir, CHUNK, 1);
        Files.write(dir.resolve("pool-1.tmp"), new byte[1000]);

        ChunkFilePool pool = ChunkFilePool.open(dir, CHUNK, 2);

        assertThat(Files.exists(dir.resolve("pool-1.tmp"))).isFalse();
        assertThat(poolFiles(dir)).containsExactly("pool-0", "pool-1");
        for (String name : poolFiles(dir)) {
            assertThat(Files.size(dir.resolve(name))).isEqualTo(FILE);
        }
        assertThat(pool.available()).isEqualTo(2);
    }

    @Test
    void takeAndRecycleKeepCountsAndFormatOnDemandWhenEmpty() throws Exception {
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 2);
        Path a = pool.take(tmp.resolve("a"));
        pool.take(tmp.resolve("b"));
        assertThat(pool.available()).isZero();
        assertThat(pool.formattedOnDemand()).isZero();

        Path c = pool.take(tmp.resolve("c"));
        assertThat(pool.formattedOnDemand()).isEqualTo(1);
        assertThat(Files.size(c)).isEqualTo(FILE);
        assertThat(countNonZero(Files.readAllBytes(c))).isZero();

        // Dirty both the meta page and the data, then recycle: only the meta area is cleared.
        try (FileChannel ch = FileChannel.open(a, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(filled(META, 7)), 0);
            ch.write(ByteBuffer.wrap(filled(4096, 9)), META);
        }
        pool.recycle(a);
        assertThat(Files.exists(a)).isFalse();
        assertThat(pool.available()).isEqualTo(1);
        Path again = pool.take(tmp.resolve("again"));
        byte[] bytes = Files.readAllBytes(again);
        assertThat(countNonZero(Arrays.copyOfRange(bytes, 0, META))).isZero();
        assertThat(Arrays.copyOfRange(bytes, META, META + 4096)).isEqualTo(filled(4096, 9));
        assertThat(pool.formattedOnDemand()).isEqualTo(1);

        assertThatThrownBy(() -> pool.take(tmp.resolve("b"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void deletedChunksBeyondWhatThePoolKeepsAreRemovedSoDiskUsageFalls() throws Exception {
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 0);
        pool.keepAtMost(1);
        Path a = pool.take(tmp.resolve("a"));
        Path b = pool.take(tmp.resolve("b"));

        pool.recycle(a);
        pool.recycle(b);

        assertThat(Files.exists(a)).isFalse();
        assertThat(Files.exists(b)).as("removed, not pooled").isFalse();
        assertThat(pool.available()).isEqualTo(1);
        try (var files = Files.list(tmp.resolve("pool"))) {
            assertThat(files.filter(f -> Files.isRegularFile(f) && sizeOf(f) == FILE).count())
                    .as("chunk-sized files left in the pool").isEqualTo(1);
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void concurrentTakesGetDistinctFiles() throws Exception {
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 8);
        Set<Path> taken = ConcurrentHashMap.newKeySet();
        ExecutorService exec = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(exec.submit(() -> {
                    for (int i = 0; i < 3; i++) {
                        taken.add(pool.take(tmp.resolve("t" + thread + "-" + i)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            exec.shutdown();
        }
        assertThat(taken).hasSize(12).allSatisfy(p -> assertThat(Files.size(p)).isEqualTo(FILE));
        assertThat(pool.formattedOnDemand()).isEqualTo(4);
        assertThat(pool.available()).isZero();
    }

    @Test
    void refusesToOpenWithADifferentChunkSize() {
        Path dir = tmp.resolve("pool");
        ChunkFilePool.open(dir, CHUNK, 1);

        assertThatThrownBy(() -> ChunkFilePool.open(dir, 2 * CHUNK, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("formatted for chunk size " + CHUNK)
                .hasMessageContaining(String.valueOf(2 * CHUNK));
    }

    @Test
    void rejectsChunkSizesThatAreNotPowersOfTwoOrTooSmall() {
        assertThatThrownBy(() -> ChunkFilePool.open(tmp.resolve("p1"), 3 * 65536, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> ChunkFilePool.open(tmp.resolve("p2"), 32 * 1024, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32768");
    }

    static List<String> poolFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pool-")).sorted().toList();
        }
    }

    static int countNonZero(byte[] bytes) {
        int n = 0;
        for (byte b : bytes) {
            n += b != 0 ? 1 : 0;
        }
        return n;
    }

    static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** Allocated bytes as reported by stat(1); skips the check where GNU stat is unavailable. */
    private static long allocatedBytes(Path file) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/stat")), "GNU stat needed to count blocks");
        Process p = new ProcessBuilder("/usr/bin/stat", "-c", "%b %B", file.toString()).start();
        String[] out = new String(p.getInputStream().readAllBytes()).trim().split(" ");
        assumeTrue(p.waitFor() == 0 && out.length == 2, "stat -c failed");
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
