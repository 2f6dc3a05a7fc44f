package io.camber.chunk.store;

import static io.camber.chunk.store.ChunkFilePoolTest.countNonZero;
import static io.camber.chunk.store.ChunkFilePoolTest.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStoreTest {
    static final int CHUNK = 256 * 1024;
    static final int PAGE = 4096;

    @TempDir
    Path tmp;
    ChunkFilePool pool;
    ChunkStore store;

    @BeforeEach
    void open() {
        pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 2);
        store = new ChunkStore(tmp.resolve("copyset-1"), pool, CHUNK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void randomAlignedWritesReadBackExactly() {
        Random random = new Random(7);
        byte[][] model = new byte[3][CHUNK];
        long bytes = 0;
        for (int i = 0; i < 60; i++) {
            int chunk = random.nextInt(3);
            int pages = 1 + random.nextInt(16);
            int offset = random.nextInt(CHUNK / PAGE - pages + 1) * PAGE;
            byte[] data = new byte[pages * PAGE];
            random.nextBytes(data);
            store.write(chunk, offset, ByteBuffer.wrap(data), i);
            System.arraycopy(data, 0, model[chunk], offset, data.length);
            bytes += data.length;
        }
        for (int chunk = 0; chunk < 3; chunk++) {
            assertThat(bytesOf(store.read(chunk, 0, CHUNK))).isEqualTo(model[chunk]);
            int offset = 5 * PAGE;
            assertThat(bytesOf(store.read(chunk, offset, 7 * PAGE)))
                    .isEqualTo(Arrays.copyOfRange(model[chunk], offset, offset + 7 * PAGE));
        }
        assertThat(store.bytesWritten()).isEqualTo(bytes);
        assertThat(store.files()).containsExactly(store.chunksDir().resolve("0"), store.chunksDir().resolve("1"),
                store.chunksDir().resolve("2"));
    }

    @Test
    void unwrittenPagesAndAbsentChunksReadAsZeros() {
        store.write(1, 3 * PAGE, ByteBuffer.wrap(filled(PAGE, 0x5A)), 1);

        byte[] read = bytesOf(store.read(1, 0, 8 * PAGE));
        assertThat(Arrays.copyOfRange(read, 3 * PAGE, 4 * PAGE)).isEqualTo(filled(PAGE, 0x5A));
        assertThat(countNonZero(read)).isEqualTo(PAGE);
        assertThat(countNonZero(bytesOf(store.read(99, 0, CHUNK)))).isZero();
        assertThat(store.stat(99)).isEqualTo(new ChunkMeta(99, false, CHUNK, 0, 0));
        assertThat(store.stat(1)).isEqualTo(new ChunkMeta(1, true, CHUNK, 1, 1));
    }

    @Test
    void recycledFileReusedByAnotherChunkShowsZerosNotOldData() {
        store.write(1, 0, ByteBuffer.wrap(filled(CHUNK, 0xAB)), 1);
        store.write(2, 0, ByteBuffer.wrap(filled(PAGE, 0x01)), 1);
        assertThat(pool.available()).isZero();
        Path oldFile = store.files().get(0);
        assertThat(store.delete(1)).isTrue();
        assertThat(pool.available()).isEqualTo(1);

        store.write(3, PAGE, ByteBuffer.wrap(filled(PAGE, 0x33)), 2);

        assertThat(pool.formattedOnDemand()).as("chunk 3 reused chunk 1's file").isZero();
        byte[] read = bytesOf(store.read(3, 0, CHUNK));
        assertThat(countNonZero(read)).isEqualTo(PAGE);
        assertThat(Arrays.copyOfRange(read, PAGE, 2 * PAGE)).isEqualTo(filled(PAGE, 0x33));
        assertThat(Files.exists(oldFile)).isFalse();
    }

    @Test
    void badRangesAreInvalidArgumentsAndChangeNothing() {
        byte[] original = filled(2 * PAGE, 0x11);
        store.write(4, 0, ByteBuffer.wrap(original), 3);
        long written = store.bytesWritten();
        int poolFiles = pool.available();

        assertInvalid(() -> store.write(4, 100, ByteBuffer.wrap(filled(PAGE, 2)), 9), "offset 100");
        assertInvalid(() -> store.write(4, 0, ByteBuffer.wrap(filled(PAGE + 1, 2)), 9), "4097 bytes");
        assertInvalid(() -> store.write(4, CHUNK, ByteBuffer.wrap(filled(PAGE, 2)), 9), "offset " + CHUNK);
        assertInvalid(() -> store.write(4, CHUNK - PAGE, ByteBuffer.wrap(filled(2 * PAGE, 2)), 9), "[0, " + CHUNK);
        assertInvalid(() -> store.write(4, -PAGE, ByteBuffer.wrap(filled(PAGE, 2)), 9), "offset -4096");
        assertInvalid(() -> store.write(4, 0, ByteBuffer.allocate(0), 9), "0 bytes");
        assertInvalid(() -> store.write(5, 1, ByteBuffer.wrap(filled(PAGE, 2)), 9), "multiples of 4096");
        assertInvalid(() -> store.write(-1, 0, ByteBuffer.wrap(filled(PAGE, 2)), 9), "chunk id -1");
        assertInvalid(() -> store.read(4, 2048, PAGE), "offset 2048");
        assertInvalid(() -> store.read(4, 0, CHUNK + PAGE), "[0, " + CHUNK);
        assertInvalid(() -> store.read(4, Long.MAX_VALUE - 4095, PAGE), "inside the chunk");

        assertThat(bytesOf(store.read(4, 0, 2 * PAGE))).isEqualTo(original);
        assertThat(countNonZero(bytesOf(store.read(4, 0, CHUNK)))).isEqualTo(2 * PAGE);
        assertThat(store.stat(4)).isEqualTo(new ChunkMeta(4, true, CHUNK, 3, 2));
        assertThat(store.stat(5).exists()).isFalse();
        assertThat(store.bytesWritten()).isEqualTo(written);
        assertThat(pool.available()).isEqualTo(poolFiles);
    }

    @Test
    void deleteThenReadGivesZeros() {
        store.write(6, 0, ByteBuffer.wrap(filled(4 * PAGE, 0x66)), 1);

        assertThat(store.delete(6)).isTrue();
        assertThat(store.delete(6)).isFalse();
        assertThat(countNonZero(bytesOf(store.read(6, 0, 4 * PAGE)))).isZero();
        assertThat(store.stat(6).exists()).isFalse();
        assertThat(store.files()).isEmpty();
    }

    @Test
    void reopenSeesTheSameDataAndSequence() {
        byte[] data = new byte[3 * PAGE];
        new Random(3).nextBytes(data);
        store.write(7, 8 * PAGE, ByteBuffer.wrap(data), 5);
        store.write(7, 0, ByteBuffer.wrap(filled(PAGE, 1)), 9);
        store.write(7, 0, ByteBuffer.wrap(filled(PAGE, 2)), 8);
        store.close();

        store = new ChunkStore(tmp.resolve("copyset-1"), ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 2), CHUNK);

        assertThat(store.stat(7)).isEqualTo(new ChunkMeta(7, true, CHUNK, 9, 4));
        assertThat(bytesOf(store.read(7, 8 * PAGE, 3 * PAGE))).isEqualTo(data);
        assertThat(bytesOf(store.read(7, 0, PAGE))).isEqualTo(filled(PAGE, 2));
        assertThat(countNonZero(bytesOf(store.read(7, 0, CHUNK)))).isEqualTo(countNonZero(data) + PAGE);
    }

    @Test
    void corruptMetaPagesAreReportedWithTheFileName() throws Exception {
        store.write(8, 0, ByteBuffer.wrap(filled(PAGE, 8)), 1);
        store.close();
        Path file = tmp.resolve("copyset-1/chunks/8");
        ChunkLayout layout = ChunkLayout.of(CHUNK);
        long slot1 = layout.slotOffset(1);

        flipByte(file, ChunkLayout.HEADER);
        flipByte(file, slot1 + ChunkLayout.HEADER);
        assertThatThrownBy(this::reopen).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("checksum");
        flipByte(file, ChunkLayout.HEADER);
        flipByte(file, slot1 + ChunkLayout.HEADER);
        flipByte(file, 0);
        flipByte(file, slot1);
        assertThatThrownBy(this::reopen).hasMessageContaining(file.toString()).hasMessageContaining("magic");
        flipByte(file, 0);
        flipByte(file, slot1);
        Path renamed = file.resolveSibling("9");
        Files.move(file, renamed);
        assertThatThrownBy(this::reopen).hasMessageContaining("names chunk 8");
        Files.move(renamed, file);

        store = reopen();
        assertThat(bytesOf(store.read(8, 0, PAGE))).isEqualTo(filled(PAGE, 8));
    }

    @Test
    void aTornMetaSlotFallsBackToTheOtherSlotAsOfTheLastSync() throws Exception {
        store.write(8, 0, ByteBuffer.wrap(filled(PAGE, 8)), 1);
        store.sync(); // the synced state goes to both slots
        store.write(8, PAGE, ByteBuffer.wrap(filled(PAGE, 9)), 2);
        Path file = tmp.resolve("copyset-1/chunks/8");
        Path crashed = tmp.resolve("crashed-8");
        Files.copy(file, crashed); // the file as a crash right now would leave it (page cache included)
        store.close();
        Files.copy(crashed, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ChunkLayout layout = ChunkLayout.of(CHUNK);

        // The second write's meta went to slot 1 (generation 3); a power loss tore it.
        flipByte(file, layout.slotOffset(1) + ChunkLayout.HEADER);
        store = reopen();
        assertThat(store.stat(8)).as("as of the sync; the log replays the second write")
                .isEqualTo(new ChunkMeta(8, true, CHUNK, 1, 1));
        assertThat(bytesOf(store.read(8, 0, PAGE))).isEqualTo(filled(PAGE, 8));
        store.close();

        Files.copy(crashed, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        flipByte(file, layout.slotOffset(0) + ChunkLayout.HEADER);
        store = reopen();
        assertThat(store.stat(8)).as("the older slot torn: the newer one wins").isEqualTo(new ChunkMeta(8, true, CHUNK, 2, 2));
    }

    @Test
    void aTornFirstMetaWriteLeavesNoChunkAndReturnsTheFileToThePool() throws Exception {
        store.write(9, 0, ByteBuffer.wrap(filled(PAGE, 9)), 4);
        Path file = tmp.resolve("copyset-1/chunks/9");
        Path crashed = tmp.resolve("crashed-9");
        Files.copy(file, crashed);
        store.close();
        Files.copy(crashed, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        flipByte(file, ChunkLayout.of(CHUNK).slotOffset(1) + ChunkLayout.HEADER);
        int before = pool.available();

        store = reopen();

        assertThat(store.stat(9).exists()).as("never synced: the log replays the write that created it").isFalse();
        assertThat(pool.available()).isEqualTo(before + 1);
    }

    @Test
    void aFlippedDataByteIsReportedNeverReturnedAndARewriteHealsIt() throws Exception {
        byte[] data = new byte[4 * PAGE];
        new Random(5).nextBytes(data);
        store.write(3, 4 * PAGE, ByteBuffer.wrap(data), 1);
        store.sync();
        Path file = tmp.resolve("copyset-1/chunks/3");
        long page6 = ChunkLayout.of(CHUNK).metaSize() + 6L * PAGE;
        flipByte(file, page6 + 100);

        assertThatThrownBy(() -> store.read(3, 0, 16 * PAGE)).isInstanceOfSatisfying(CorruptPagesException.class,
                e -> assertThat(e.pages()).containsExactly(6));
        assertThat(bytesOf(store.read(3, 4 * PAGE, 2 * PAGE))).isEqualTo(Arrays.copyOf(data, 2 * PAGE));
        PageChecksums scrub = store.scrub(3, 0, 8 * PAGE);
        assertThat(scrub.sequence()).isEqualTo(1);
        assertThat(scrub.checksums()[0]).isEqualTo(PageChecksums.UNWRITTEN);
        assertThat(scrub.checksums()[4]).isNotNegative();
        assertThat(scrub.checksums()[6]).isEqualTo(PageChecksums.CORRUPT);

        store.write(3, 6 * PAGE, ByteBuffer.wrap(data, 2 * PAGE, PAGE).slice(), 2);
        assertThat(bytesOf(store.read(3, 4 * PAGE, 4 * PAGE))).isEqualTo(data);
        assertThat(store.scrub(3, 0, 8 * PAGE).checksums()[6]).isNotNegative();
    }

    @Test
    void blankFileLeftByACrashBetweenTakeAndFirstWriteGoesBackToThePool() {
        store.close();
        pool.take(tmp.resolve("copyset-1/chunks/12"));
        int before = pool.available();

        store = reopen();

        assertThat(store.stat(12).exists()).isFalse();
        assertThat(store.files()).isEmpty();
        assertThat(pool.available()).isEqualTo(before + 1);
    }

    @Test
    void reloadPicksUpFilesReplacedBySnapshot() throws Exception {
        store.write(1, 0, ByteBuffer.wrap(filled(PAGE, 1)), 1);
        try (ChunkStore leader = new ChunkStore(tmp.resolve("leader"), pool, CHUNK)) {
            leader.write(1, 0, ByteBuffer.wrap(filled(PAGE, 0x4C)), 10);
            leader.write(2, PAGE, ByteBuffer.wrap(filled(PAGE, 0x4D)), 11);
            leader.sync();
            for (Path f : leader.files()) {
                Files.copy(f, store.chunksDir().resolve(f.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }

        store.reload();

        assertThat(bytesOf(store.read(1, 0, PAGE))).isEqualTo(filled(PAGE, 0x4C));
        assertThat(bytesOf(store.read(2, PAGE, PAGE))).isEqualTo(filled(PAGE, 0x4D));
        assertThat(store.stat(2).sequence()).isEqualTo(11);
        assertThat(store.files()).hasSize(2);
    }

    @Test
    void concurrentReadersNeverSeeATornPage() throws Exception {
        AtomicReference<String> failure = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                for (int i = 0; i < 400 && failure.get() == null; i++) {
                    byte[] page = bytesOf(store.read(20, 0, 2 * PAGE));
                    for (byte b : page) {
                        if (b != page[0]) {
                            failure.set("torn read at iteration " + i);
                        }
                    }
                }
            });
            readers[r].start();
        }
        for (int v = 1; v <= 400; v++) {
            store.write(20, 0, ByteBuffer.wrap(filled(2 * PAGE, v)), v);
        }
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(store.stat(20).sequence()).isEqualTo(400);
    }

    private ChunkStore reopen() {
        return new ChunkStore(tmp.resolve("copyset-1"), pool, CHUNK);
    }

    private static void assertInvalid(Runnable call, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining(messagePart);
    }

    private static void flipByte(Path file, long position) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, position);
        }
    }

    static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
