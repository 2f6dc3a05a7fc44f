package io.camber.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * File data through handles on an in-memory volume and partition: every byte read back against a model, holes as
 * zeros, the stale tail of a truncated file's last block never showing, small writes gathered.
 */
class FileDataTest {
    private static final int BUFFER = 64 << 10;
    private final SparseMemoryVolume volume = new SparseMemoryVolume();
    private final MemoryFileSpace space = new MemoryFileSpace();
    private final FileHandles files = mount();

    /** A mount's open files over the shared volume and partition: a second one stands for another mount. */
    private FileHandles mount() {
        return new FileHandles(() -> CompletableFuture.completedFuture(volume), space, BUFFER, 4L * BUFFER);
    }

    private CamberFs.FileHandle open(boolean write) {
        return files.open(space.inode(), write).join();
    }

    /** What setattr(size) does: flush, zero the tail when growing, truncate on the partition, tell the handles. */
    private void truncate(long size) {
        Inode before = files.flushAll(MemoryFileSpace.INO).thenApply(x -> space.inode()).join();
        files.beforeGrowing(before, size).join();
        files.resized(space.truncate(size));
    }

    @Test
    void aFileOpenHereIsKeptFromGcOnceItsLastNameWentAndNotAfterItsLastClose() throws Exception {
        CamberFs.FileHandle h = open(false);
        files.keepOrphansNow().join();
        assertThat(space.keptAlive).as("it still has a name").hasValue(0);
        space.orphan = true; // unlinked, here or by another mount
        files.keepOrphansNow().join();
        files.keepOrphansNow().join();
        assertThat(space.keptAlive).hasValue(2);
        h.close();
        files.keepOrphansNow().join();
        assertThat(space.keptAlive).as("closed: GC may have it").hasValue(2);
    }

    @Test
    void randomWritesTruncatesAndReadsMatchAModel() {
        Random random = new Random(11);
        byte[] model = new byte[0];
        CamberFs.FileHandle h = open(true);
        for (int op = 0; op < 400; op++) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                int offset = random.nextInt(3 << 20);
                int length = 1 + random.nextInt(random.nextBoolean() ? 5000 : 300_000);
                byte[] data = new byte[length];
                random.nextBytes(data);
                h.write(offset, ByteBuffer.wrap(data)).join();
                model = Arrays.copyOf(model, Math.max(model.length, offset + length));
                System.arraycopy(data, 0, model, offset, length);
            } else if (kind < 7) {
                int size = random.nextInt(3 << 20);
                truncate(size);
                model = Arrays.copyOf(model, size);
            } else if (kind < 9) {
                int offset = random.nextInt(Math.max(1, model.length + 10_000));
                int length = random.nextInt(400_000);
                assertThat(bytes(h.read(offset, length).join())).as("op %d read %d+%d", op, offset, length)
                        .isEqualTo(range(model, offset, length));
            } else {
                h.release().join(); // close-to-open: a new handle learns the map from the inode
                CamberFs.FileHandle reader = open(false);
                assertThat(bytes(reader.read(0, model.length).join())).as("op %d reopened", op).isEqualTo(model);
                reader.release().join();
                h = open(true);
            }
        }
        h.release().join();
        CamberFs.FileHandle reader = open(false);
        assertThat(space.inode().size()).isEqualTo(model.length);
        assertThat(bytes(reader.read(0, model.length + 1).join())).isEqualTo(model);
    }

    @Test
    void smallFilesKeepTheirBytesInTheInodeAndEveryByteSurvivesTheMoveToExtents() {
        Random random = new Random(5);
        byte[] model = new byte[0];
        CamberFs.FileHandle h = open(true);
        for (int op = 0; op < 600; op++) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                int offset = random.nextInt(12_000);
                int length = 1 + random.nextInt(6000);
                byte[] data = new byte[length];
                random.nextBytes(data);
                h.write(offset, ByteBuffer.wrap(data)).join();
                h.flush().join(); // each write on its own: small runs, inline until they outgrow it
                model = Arrays.copyOf(model, Math.max(model.length, offset + length));
                System.arraycopy(data, 0, model, offset, length);
            } else if (kind < 7) {
                int size = random.nextInt(4) == 0 ? 0 : random.nextInt(12_000);
                truncate(size);
                model = Arrays.copyOf(model, size);
            } else if (kind < 9) {
                int offset = random.nextInt(model.length + 100);
                int length = random.nextInt(14_000);
                assertThat(bytes(h.read(offset, length).join())).as("op %d read %d+%d", op, offset, length)
                        .isEqualTo(range(model, offset, length));
            } else {
                h.release().join();
                CamberFs.FileHandle reader = open(false);
                assertThat(bytes(reader.read(0, 20_000).join())).as("op %d reopened", op).isEqualTo(model);
                reader.release().join();
                h = open(true);
            }
        }
        h.release().join();
        assertThat(bytes(open(false).read(0, 20_000).join())).isEqualTo(model);
        assertThat(space.inlineWrites.get()).as("writes kept in the inode").isPositive();
        assertThat(space.allocations.get()).as("writes that moved files to extents").isPositive();
    }

    @Test
    void aSmallFileCostsOneInlineWriteAndMovesToExtentsWhenItGrows() {
        CamberFs.FileHandle h = open(true);
        h.write(0, ByteBuffer.wrap(filled(4096, (byte) 3))).join();
        h.release().join();
        assertThat(space.inlineWrites.get()).isEqualTo(1);
        assertThat(space.allocations.get()).as("no space for a 4 KiB file").isZero();
        assertThat(space.inode().isInline()).isTrue();
        assertThat(bytes(open(false).read(0, 8192).join())).hasSize(4096).containsOnly((byte) 3);

        CamberFs.FileHandle more = open(true);
        more.write(20_000, ByteBuffer.wrap(filled(100, (byte) 4))).join();
        more.release().join();
        Inode moved = space.inode();
        assertThat(moved.isInline()).isFalse();
        assertThat(moved.size()).isEqualTo(20_100);
        byte[] all = bytes(open(false).read(0, 30_000).join());
        assertThat(range(all, 0, 4096)).as("the inline bytes, now in extents").containsOnly((byte) 3);
        assertThat(range(all, 4096, 20_000 - 4096)).containsOnly((byte) 0);
        assertThat(range(all, 20_000, 100)).containsOnly((byte) 4);
    }

    @Test
    void aHandleWithAStaleViewOfAFileAnotherMountMovedToExtentsWritesThroughTheExtents() {
        CamberFs.FileHandle stale = open(true); // learns: empty, no extents
        FileHandles otherMount = mount();
        CamberFs.FileHandle other = otherMount.open(space.inode(), true).join();
        other.write(0, ByteBuffer.wrap(filled(50_000, (byte) 6))).join();
        other.release().join();

        stale.write(10, ByteBuffer.wrap(filled(10, (byte) 7))).join();
        stale.release().join();
        assertThat(space.inode().isInline()).as("refused inline, written to the extents").isFalse();
        byte[] all = bytes(open(false).read(0, 60_000).join());
        assertThat(all).hasSize(50_000);
        assertThat(range(all, 0, 10)).containsOnly((byte) 6);
        assertThat(range(all, 10, 10)).containsOnly((byte) 7);
        assertThat(range(all, 20, 49_980)).containsOnly((byte) 6);
    }

    @Test
    void aHandleHoldingAnOldInlineViewNeverWritesItsOldBytesOverAnotherMountsWrites() {
        CamberFs.FileHandle first = open(true);
        first.write(0, ByteBuffer.wrap(filled(100, (byte) 1))).join();
        first.release().join();
        CamberFs.FileHandle stale = open(true); // learns the 100 inline bytes
        FileHandles otherMount = mount();
        CamberFs.FileHandle other = otherMount.open(space.inode(), true).join();
        other.write(100, ByteBuffer.wrap(filled(20_000, (byte) 2))).join(); // moves the file to extents
        other.release().join();
        CamberFs.FileHandle again = otherMount.open(space.inode(), true).join();
        again.write(50, ByteBuffer.wrap(filled(10, (byte) 3))).join();
        again.release().join();

        stale.write(12_000, ByteBuffer.wrap(filled(10, (byte) 4))).join(); // past INLINE_MAX: a move, in its view
        stale.release().join();
        byte[] all = bytes(open(false).read(0, 30_000).join());
        assertThat(all).hasSize(20_100);
        assertThat(range(all, 0, 50)).containsOnly((byte) 1);
        assertThat(range(all, 50, 10)).as("the other mount's later write").containsOnly((byte) 3);
        assertThat(range(all, 60, 40)).containsOnly((byte) 1);
        assertThat(range(all, 100, 11_900)).as("the other mount's bytes in the first blocks").containsOnly((byte) 2);
        assertThat(range(all, 12_000, 10)).containsOnly((byte) 4);
        assertThat(range(all, 12_010, 8090)).containsOnly((byte) 2);
    }

    @Test
    void aTruncatedFilesOldBytesNeverComeBackWhenItGrows() {
        CamberFs.FileHandle h = open(true);
        h.write(0, ByteBuffer.wrap(filled(10_000, (byte) 0x55))).join();
        h.flush().join();
        truncate(5000);
        h.write(12_000, ByteBuffer.wrap(new byte[] {'x'})).join();
        h.flush().join();
        byte[] all = bytes(h.read(0, 20_000).join());
        assertThat(all).hasSize(12_001);
        assertThat(range(all, 0, 5000)).containsOnly((byte) 0x55);
        assertThat(range(all, 5000, 7000)).as("past the truncate: zeros, not the old bytes").containsOnly((byte) 0);
        assertThat(all[12_000]).isEqualTo((byte) 'x');

        truncate(3000);
        truncate(6000); // a truncate up over the rest of the last block
        assertThat(range(bytes(h.read(0, 6000).join()), 3000, 3000)).containsOnly((byte) 0);
    }

    @Test
    void aWriteIntoTheEndBlockOfAShorterFileZeroesWhatLiesBetween() {
        CamberFs.FileHandle h = open(true);
        h.write(0, ByteBuffer.wrap(filled(4000, (byte) 7))).join();
        h.flush().join();
        truncate(100);
        h.write(3000, ByteBuffer.wrap(new byte[] {9})).join();
        byte[] all = bytes(h.read(0, 4096).join());
        assertThat(all).hasSize(3001);
        assertThat(range(all, 100, 2900)).containsOnly((byte) 0);
    }

    @Test
    void smallSequentialWritesAreGatheredAndOverwritesStayInPlace() {
        CamberFs.FileHandle h = open(true);
        byte[] page = filled(4096, (byte) 1);
        for (int i = 0; i < 256; i++) {
            h.write(i * 4096L, ByteBuffer.wrap(page)).join();
        }
        h.flush().join();
        assertThat(space.allocations.get()).as("1 MiB in 64 KiB runs").isEqualTo(16);
        assertThat(space.sizeUpdates.get()).isEqualTo(16);
        assertThat(space.inode().extents()).as("allocated in order: one run of space").hasSize(1);
        long volumeOffset = space.inode().extents().get(0).volumeOffset();

        h.write(5000, ByteBuffer.wrap(filled(10_000, (byte) 2))).join();
        h.release().join();
        assertThat(space.inode().extents()).hasSize(1);
        assertThat(space.inode().extents().get(0).volumeOffset()).as("overwritten in place").isEqualTo(volumeOffset);
        byte[] all = bytes(open(false).read(0, 1 << 20).join());
        assertThat(range(all, 4999, 1)).containsOnly((byte) 1);
        assertThat(range(all, 5000, 10_000)).containsOnly((byte) 2);
        assertThat(range(all, 15_000, 1)).containsOnly((byte) 1);
    }

    @Test
    void holesReadAsZerosAndReadsStopAtTheEnd() {
        CamberFs.FileHandle h = open(true);
        h.write(1 << 20, ByteBuffer.wrap(new byte[] {1, 2, 3})).join();
        h.flush().join();
        assertThat(space.inode().extents()).as("only the written block has space").hasSize(1);
        assertThat(bytes(h.read(4096, 8192).join())).containsOnly((byte) 0).hasSize(8192);
        assertThat(bytes(h.read((1 << 20) + 1, 100).join())).containsExactly(2, 3);
        assertThat(bytes(h.read((1 << 20) + 3, 100).join())).isEmpty();
        assertThat(bytes(h.read(10L << 30, 100).join())).isEmpty();
    }

    @Test
    void aReadOnlyOrReleasedHandleRefusesWithEBADF() {
        CamberFs.FileHandle reading = open(false);
        assertThat(errno(reading.write(0, ByteBuffer.wrap(new byte[] {1})))).isEqualTo(FsError.EBADF);
        CamberFs.FileHandle writing = open(true);
        writing.release().join();
        assertThat(errno(writing.write(0, ByteBuffer.wrap(new byte[] {1})))).isEqualTo(FsError.EBADF);
        assertThat(errno(writing.read(0, 1))).isEqualTo(FsError.EBADF);
        assertThat(errno(reading.read(-1, 1))).isEqualTo(FsError.EINVAL);
        assertThat(errno(open(true).write(OpenFile.MAX_FILE_BYTES, ByteBuffer.wrap(new byte[] {1}))))
                .isEqualTo(FsError.EFBIG);
    }

    private static FsError errno(CompletableFuture<?> f) {
        try {
            f.join();
            return FsError.OK;
        } catch (CompletionException e) {
            return ((FsException) FsErrors.unwrap(e)).error();
        }
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    private static byte[] range(byte[] a, int offset, int length) {
        int from = Math.min(offset, a.length);
        return Arrays.copyOfRange(a, from, Math.min(a.length, offset + length));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
