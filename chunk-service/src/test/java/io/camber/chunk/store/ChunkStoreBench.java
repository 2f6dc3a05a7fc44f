package io.camber.chunk.store;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Rough throughput numbers for the chunk store on the local disk; run by hand, not by Surefire:
 * {@code java -cp ... io.camber.chunk.store.ChunkStoreBench [dir]}.
 */
public final class ChunkStoreBench {
    private static final long CHUNK = 16L << 20;

    private ChunkStoreBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("chunk-bench");
        int files = 8;
        long t0 = System.nanoTime();
        ChunkFilePool pool = ChunkFilePool.open(dir.resolve("pool"), CHUNK, files);
        double formatMs = (System.nanoTime() - t0) / 1e6 / files;
        System.out.printf("format 16 MiB pool file (zeros + fsync + rename): %.1f ms each (%.0f MiB/s)%n",
                formatMs, 16 / (formatMs / 1000));
        try (ChunkStore store = new ChunkStore(dir.resolve("copyset"), pool, CHUNK)) {
            run(store, 4096, 4, 0, 1); // warm-up: JIT and first-touch of the page cache
            run(store, 4096, 4, 0, 2);
            run(store, 1 << 20, 4, 4, 1);
            run(store, 1 << 20, 4, 4, 8);
            t0 = System.nanoTime();
            store.sync();
            System.out.printf("sync of 8 dirty chunks: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        }
    }

    private static void run(ChunkStore store, int ioSize, int chunks, long firstChunk, int passes) {
        byte[] payload = new byte[ioSize];
        new Random(1).nextBytes(payload);
        ByteBuffer data = ByteBuffer.wrap(payload);
        int perChunk = (int) (CHUNK / ioSize);
        Random random = new Random(2);
        long before = store.bytesWritten();
        long t0 = System.nanoTime();
        long seq = 0;
        for (int pass = 0; pass < passes; pass++) {
        for (int c = 0; c < chunks; c++) {
            for (int i = 0; i < perChunk; i++) {
                // Random order within the chunk, like a VM's block writes, not a sequential stream.
                long offset = (long) random.nextInt(perChunk) * ioSize;
                store.write(firstChunk + c, offset, data, ++seq);
            }
        }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double mib = (store.bytesWritten() - before) / (double) (1 << 20);
        System.out.printf("%d-byte random writes: %.0f MiB in %.2f s = %.0f MiB/s (%.0f IOPS), page cache, no fsync%n",
                ioSize, mib, s, mib / s, passes * chunks * perChunk / s);
    }
}
