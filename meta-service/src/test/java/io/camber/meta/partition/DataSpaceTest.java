package io.camber.meta.partition;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.RecordCodec;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Allocation from a partition's slice of the data volume, and the release of space GC has trimmed. */
class DataSpaceTest {
    static final long B = DataLayout.BLOCK;

    @TempDir
    Path dir;
    PartitionFixture p;

    @BeforeEach
    void open() {
        p = new PartitionFixture(dir, 7, 3, 1, 1000);
    }

    @AfterEach
    void close() {
        p.close();
    }

    long slice() {
        return DataLayout.sliceStart(3);
    }

    @Test
    void smallFilesArePackedBlockByBlockIntoThePartitionsSlice() {
        for (int i = 0; i < 3; i++) {
            Inode f = p.create(ROOT_INO, "f" + i);
            MetaResult.Allocated got = p.allocate(f.ino(), 0, 100);
            assertThat(got.newBytes()).isEqualTo(B);
            assertThat(got.extents()).containsExactly(new Extent(0, slice() + i * B, B));
            assertThat(p.attr(f.ino()).extents()).isEqualTo(got.extents());
            assertThat(p.attr(f.ino()).size()).as("allocation does not change the size").isZero();
        }
        assertThat(stats().bytesUsed()).isEqualTo(3 * B);
    }

    @Test
    void onlyHolesGetSpaceAndTheRangeIsWidenedToBlocks() {
        Inode f = p.create(ROOT_INO, "f");
        MetaResult.Allocated middle = p.allocate(f.ino(), B + 10, 20);
        assertThat(middle.extents()).containsExactly(new Extent(B, slice(), B));
        MetaResult.Allocated all = p.allocate(f.ino(), 0, 4 * B);
        assertThat(all.newBytes()).isEqualTo(3 * B);
        assertThat(all.extents()).extracting(Extent::fileOffset).containsExactly(0L, B, 2 * B);
        assertThat(all.extents().stream().mapToLong(Extent::length).sum()).isEqualTo(4 * B);
        assertThat(all.extents()).contains(new Extent(B, slice(), B));
        MetaResult.Allocated again = p.allocate(f.ino(), 100, 3 * B);
        assertThat(again.newBytes()).isZero();
        assertThat(again.extents()).extracting(Extent::fileOffset).containsExactly(0L, B, 2 * B);
        assertThat(stats().bytesUsed()).isEqualTo(4 * B);
    }

    @Test
    void aFileAllocatedInOrderStaysOneExtentUnlessAnotherFileTookTheNextSpace() {
        Inode f = p.create(ROOT_INO, "f");
        Inode g = p.create(ROOT_INO, "g");
        for (int i = 0; i < 8; i++) {
            p.allocate(f.ino(), i * (1L << 20), 1 << 20);
        }
        assertThat(p.attr(f.ino()).extents()).containsExactly(new Extent(0, slice(), 8L << 20));
        p.allocate(g.ino(), 0, 1);
        p.allocate(f.ino(), 8L << 20, 1 << 20);
        assertThat(p.attr(f.ino()).extents()).hasSize(2);
    }

    @Test
    void badRangesAndNonFilesAreRefused() {
        Inode f = p.create(ROOT_INO, "f");
        assertThat(p.error(new MetaCommand.AllocateExtents(f.ino(), 0, 0, p.tick()))).isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.AllocateExtents(f.ino(), -1, 10, p.tick()))).isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.AllocateExtents(f.ino(), 0, DataLayout.MAX_ALLOCATION + 1, p.tick())))
                .isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.AllocateExtents(f.ino(), Long.MAX_VALUE - 5, 10, p.tick())))
                .isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.AllocateExtents(ROOT_INO, 0, 10, p.tick()))).isEqualTo(FsError.EISDIR);
        Inode link = ((MetaResult.Attr) p.ok(new MetaCommand.MakeNode(ROOT_INO, "l", FileType.SYMLINK.mode(0777),
                0, 0, 0, "f", p.tick()))).inode();
        assertThat(p.error(new MetaCommand.AllocateExtents(link.ino(), 0, 10, p.tick()))).isEqualTo(FsError.EINVAL);
        assertThat(p.error(new MetaCommand.AllocateExtents(999, 0, 10, p.tick()))).isEqualTo(FsError.ENOENT);
        assertThat(stats().bytesUsed()).isZero();
    }

    @Test
    void aFullSliceAnswersEnospcAndChangesNothing() {
        smallSlice(4 * B);
        Inode f = p.create(ROOT_INO, "f");
        p.allocate(f.ino(), 0, 3 * B);
        assertThat(p.error(new MetaCommand.AllocateExtents(f.ino(), 3 * B, 2 * B, p.tick())))
                .isEqualTo(FsError.ENOSPC);
        assertThat(p.attr(f.ino()).extents()).containsExactly(new Extent(0, slice(), 3 * B));
        assertThat(stats().bytesUsed()).isEqualTo(3 * B);
        p.allocate(f.ino(), 3 * B, B);
        assertThat(p.attr(f.ino()).extents()).containsExactly(new Extent(0, slice(), 4 * B));
    }

    @Test
    void aPartitionBeyondTheVolumeHasNoSpace(@TempDir Path other) {
        try (PartitionFixture far = new PartitionFixture(other, 7, DataLayout.PARTITIONS_WITH_SPACE, 1, 100)) {
            Inode f = far.create(ROOT_INO, "f");
            assertThat(far.error(new MetaCommand.AllocateExtents(f.ino(), 0, 1, far.tick())))
                    .isEqualTo(FsError.ENOSPC);
        }
    }

    @Test
    void releasedSpaceCoalescesAndIsReusedAsOneRun() {
        long[] inos = new long[5];
        for (int i = 0; i < 5; i++) {
            inos[i] = p.create(ROOT_INO, "f" + i).ino();
            p.allocate(inos[i], 0, B);
        }
        unlinkAndRelease("f1", inos[1]);
        unlinkAndRelease("f3", inos[3]);
        assertThat(freeRuns()).containsExactly(java.util.Map.entry(slice() + B, B),
                java.util.Map.entry(slice() + 3 * B, B));
        unlinkAndRelease("f2", inos[2]);
        assertThat(freeRuns()).as("three neighbours make one run").containsExactly(
                java.util.Map.entry(slice() + B, 3 * B));
        assertThat(stats().bytesUsed()).isEqualTo(2 * B);

        Inode g = p.create(ROOT_INO, "g");
        MetaResult.Allocated reused = p.allocate(g.ino(), 0, 3 * B);
        assertThat(reused.extents()).containsExactly(new Extent(0, slice() + B, 3 * B));
        assertThat(freeRuns()).isEmpty();
        assertThat(slicePointer()).as("nothing new was handed out").isEqualTo(slice() + 5 * B);
    }

    @Test
    void releasingTheTopOfTheSliceLowersTheBumpPointer() {
        long a = p.create(ROOT_INO, "a").ino();
        long b = p.create(ROOT_INO, "b").ino();
        long c = p.create(ROOT_INO, "c").ino();
        p.allocate(a, 0, B);
        p.allocate(b, 0, B);
        p.allocate(c, 0, B);
        unlinkAndRelease("b", b);
        unlinkAndRelease("c", c);
        assertThat(freeRuns()).isEmpty();
        assertThat(slicePointer()).isEqualTo(slice() + B);
        assertThat(stats().bytesUsed()).isEqualTo(B);
    }

    @Test
    void theSmallestRunThatFitsIsTakenAndFragmentedSpaceIsGathered() {
        smallSlice(8 * B);
        long[] inos = new long[8];
        for (int i = 0; i < 8; i++) {
            inos[i] = p.create(ROOT_INO, "f" + i).ino();
            p.allocate(inos[i], 0, B);
        }
        unlinkAndRelease("f1", inos[1]);
        unlinkAndRelease("f3", inos[3]);
        unlinkAndRelease("f4", inos[4]);
        unlinkAndRelease("f6", inos[6]);
        Inode g = p.create(ROOT_INO, "g");
        assertThat(p.allocate(g.ino(), 0, B).extents()).as("best fit: the one-block run, not the two-block one")
                .containsExactly(new Extent(0, slice() + B, B));
        Inode h = p.create(ROOT_INO, "h");
        MetaResult.Allocated gathered = p.allocate(h.ino(), 0, 3 * B);
        assertThat(gathered.extents()).containsExactly(new Extent(0, slice() + 3 * B, 2 * B),
                new Extent(2 * B, slice() + 6 * B, B));
        assertThat(stats().bytesUsed()).isEqualTo(8 * B);
        assertThat(p.error(new MetaCommand.AllocateExtents(h.ino(), 3 * B, 1, p.tick()))).isEqualTo(FsError.ENOSPC);
    }

    @Test
    void releasingAChangedRecordIsRefusedSoUntrimmedSpaceNeverReturns() {
        Inode f = p.create(ROOT_INO, "f");
        List<Extent> first = p.allocate(f.ino(), 0, B).extents();
        p.ok(new MetaCommand.Unlink(ROOT_INO, "f", p.tick()));
        p.allocate(f.ino(), B, B); // an open handle still writing to the unlinked file
        assertThat(p.error(new MetaCommand.ReleaseSpace(f.ino(), MetaCommand.ReleaseSpace.ORPHAN, first)))
                .isEqualTo(FsError.EAGAIN);
        assertThat(stats().bytesUsed()).isEqualTo(2 * B);
    }

    private void unlinkAndRelease(String name, long ino) {
        p.ok(new MetaCommand.Unlink(ROOT_INO, name, p.tick()));
        p.ok(new MetaCommand.ReleaseSpace(ino, MetaCommand.ReleaseSpace.ORPHAN, p.attr(ino).extents()));
    }

    /** Shrinks the slice to bytes, as if the partition had used up the rest, so that "full" is reachable. */
    private void smallSlice(long bytes) {
        var batch = p.store.batch();
        batch.put(PartitionSchema.PARTITION, PartitionSchema.SLICE_KEY,
                RecordCodec.encode(new DataSlice(slice(), slice() + bytes, slice())));
        p.store.commit(batch, 1, 1_000_000);
    }

    private long slicePointer() {
        return RecordCodec.decode(p.store.get(PartitionSchema.PARTITION, PartitionSchema.SLICE_KEY), DataSlice.class)
                .bump();
    }

    private TreeMap<Long, Long> freeRuns() {
        TreeMap<Long, Long> runs = new TreeMap<>();
        p.store.scan(PartitionSchema.FREE_BY_START, new byte[0], Integer.MAX_VALUE,
                (k, v) -> runs.put(PartitionSchema.idOf(k), ByteBuffer.wrap(v).getLong()));
        int[] byEnd = {0};
        int[] bySize = {0};
        p.store.scan(PartitionSchema.FREE_BY_END, new byte[0], Integer.MAX_VALUE, (k, v) -> {
            assertThat(runs.get(PartitionSchema.idOf(v))).isEqualTo(PartitionSchema.idOf(k) - PartitionSchema.idOf(v));
            byEnd[0]++;
        });
        p.store.scan(PartitionSchema.FREE_BY_SIZE, new byte[0], Integer.MAX_VALUE, (k, v) -> {
            assertThat(runs.get(PartitionSchema.indexOf(k))).isEqualTo(PartitionSchema.idOf(k));
            bySize[0]++;
        });
        assertThat(byEnd[0]).as("the three families agree").isEqualTo(runs.size());
        assertThat(bySize[0]).isEqualTo(runs.size());
        return runs;
    }

    private PartitionStats stats() {
        return ((MetaResult.Stats) p.okQuery(new MetaQuery.StatFs())).stats();
    }
}
