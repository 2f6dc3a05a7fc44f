package io.camber.meta.partition;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionStats;
import io.camber.meta.protocol.SetAttrMask;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random allocations, truncates, unlinks and GC releases over several files: no two pieces of space ever overlap
 * (live extents of every inode, space waiting for GC, free runs), all are whole blocks inside the slice, and the
 * partition's bytesUsed is exactly the space held by inodes and GC records.
 */
class DataSpaceProperties {
    private static final long B = DataLayout.BLOCK;

    @Property(tries = 60)
    void allocatedExtentsNeverOverlapAcrossInodes(@ForAll long seed,
                                                  @ForAll @IntRange(min = 5, max = 60) int steps) throws IOException {
        Path dir = Files.createTempDirectory("data-space");
        Random random = new Random(seed);
        try (PartitionFixture p = new PartitionFixture(dir, 7, 1, 1, 1000)) {
            List<String> names = new ArrayList<>();
            List<Long> inos = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                names.add("f" + i);
                inos.add(p.create(ROOT_INO, "f" + i).ino());
            }
            for (int step = 0; step < steps; step++) {
                int pick = random.nextInt(inos.size());
                long ino = inos.get(pick);
                int kind = random.nextInt(10);
                if (kind < 6) {
                    long offset = random.nextInt(64) * 1000L;
                    p.apply(new MetaCommand.AllocateExtents(ino, offset, 1 + random.nextInt(40_000), p.tick()));
                } else if (kind < 8) {
                    p.apply(new MetaCommand.SetAttr(ino, SetAttrMask.SIZE, 0, 0, 0, 0, 0, 0,
                            random.nextInt(70_000), p.tick()));
                } else if (kind == 8) {
                    p.ok(new MetaCommand.Unlink(ROOT_INO, names.get(pick), p.tick()));
                    String fresh = "g" + step;
                    names.set(pick, fresh);
                    inos.set(pick, p.create(ROOT_INO, fresh).ino());
                } else {
                    collectGarbage(p);
                }
                checkSpace(p);
            }
            collectGarbage(p);
            checkSpace(p);
        } finally {
            deleteTree(dir);
        }
    }

    /** What the GC does once the space reads as zeros: release every record as listed. */
    private static void collectGarbage(PartitionFixture p) {
        MetaResult.Deleted deleted = (MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(1000));
        for (MetaResult.DeletedExtents d : deleted.freed()) {
            p.ok(new MetaCommand.ReleaseSpace(d.ino(), d.index(), d.extents()));
        }
        for (long orphan : deleted.orphans()) {
            p.ok(new MetaCommand.ReleaseSpace(orphan, MetaCommand.ReleaseSpace.ORPHAN, p.attr(orphan).extents()));
        }
    }

    private static void checkSpace(PartitionFixture p) {
        List<long[]> held = new ArrayList<>();
        p.store.scan(PartitionSchema.INODES, new byte[0], Integer.MAX_VALUE, (k, v) -> {
            Inode inode = io.camber.meta.protocol.RecordCodec.decode(v, Inode.class);
            inode.extents().forEach(e -> held.add(range(e)));
        });
        MetaResult.Deleted deleted = (MetaResult.Deleted) p.okQuery(new MetaQuery.ListDeleted(100_000));
        deleted.freed().forEach(d -> d.extents().forEach(e -> held.add(range(e))));
        long heldBytes = held.stream().mapToLong(r -> r[1] - r[0]).sum();
        List<long[]> all = new ArrayList<>(held);
        p.store.scan(PartitionSchema.FREE_BY_START, new byte[0], Integer.MAX_VALUE, (k, v) -> {
            long start = PartitionSchema.idOf(k);
            all.add(new long[] {start, start + ByteBuffer.wrap(v).getLong()});
        });
        all.sort(Comparator.comparingLong(r -> r[0]));
        long sliceStart = DataLayout.sliceStart(1);
        long previousEnd = sliceStart;
        for (long[] r : all) {
            assertThat(r[0]).as("no overlap, inside the slice").isGreaterThanOrEqualTo(previousEnd);
            assertThat(r[0] % B).isZero();
            assertThat(r[1] % B).isZero();
            previousEnd = r[1];
        }
        assertThat(previousEnd).isLessThanOrEqualTo(sliceStart + DataLayout.SLICE_BYTES);
        PartitionStats stats = ((MetaResult.Stats) p.okQuery(new MetaQuery.StatFs())).stats();
        assertThat(stats.bytesUsed()).as("bytesUsed counts held blocks").isEqualTo(heldBytes);
    }

    private static long[] range(Extent e) {
        return new long[] {e.volumeOffset(), e.volumeEnd()};
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
