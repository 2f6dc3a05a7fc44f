package io.camber.meta.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Overwrites and truncates keep the map ordered and non-overlapping, and account for every byte. */
class ExtentMapTest {

    @Test
    void aWriteInTheMiddleSplitsTheOlderExtent() {
        ExtentMap map = new ExtentMap(List.of(new Extent(0, 1 << 20, 12288)));
        List<Extent> freed = map.write(new Extent(4096, 2 << 20, 4096));
        assertThat(freed).containsExactly(new Extent(4096, (1 << 20) + 4096, 4096));
        assertThat(map.extents()).containsExactly(new Extent(0, 1 << 20, 4096), new Extent(4096, 2 << 20, 4096),
                new Extent(8192, (1 << 20) + 8192, 4096));
    }

    @Test
    void truncateDropsAndCuts() {
        ExtentMap map = new ExtentMap(List.of(new Extent(8192, 2 << 20, 4096), new Extent(0, 1 << 20, 4096)));
        assertThat(map.truncate(100)).containsExactly(new Extent(100, (1 << 20) + 100, 3996),
                new Extent(8192, 2 << 20, 4096));
        assertThat(map.extents()).containsExactly(new Extent(0, 1 << 20, 100));
    }

    @Test
    void holesAreTheUncoveredPartsOfARange() {
        ExtentMap map = new ExtentMap(List.of(new Extent(4096, 0, 4096), new Extent(12288, 8192, 4096)));
        assertThat(map.holes(0, 20480)).containsExactly(new long[] {0, 4096}, new long[] {8192, 12288},
                new long[] {16384, 20480});
        assertThat(map.holes(4096, 8192)).isEmpty();
        assertThat(map.holes(5000, 13000)).containsExactly(new long[] {8192, 12288});
    }

    @Test
    void addMergedJoinsExtentsContiguousInFileAndVolume() {
        ExtentMap map = new ExtentMap(List.of(new Extent(0, 40960, 4096), new Extent(8192, 49152, 4096)));
        map.addMerged(new Extent(4096, 45056, 4096));
        assertThat(map.extents()).containsExactly(new Extent(0, 40960, 12288));
        map.addMerged(new Extent(12288, 0, 4096));
        assertThat(map.extents()).as("contiguous in the file only").hasSize(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> map.addMerged(new Extent(100, 0, 4096)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void minusKeepsWhatTheOtherMapDoesNotMapTheSameWay() {
        List<Extent> held = List.of(new Extent(0, 40960, 12288));
        assertThat(ExtentMap.minus(held, List.of(new Extent(0, 40960, 4096), new Extent(8192, 49152, 4096))))
                .containsExactly(new Extent(4096, 45056, 4096));
        assertThat(ExtentMap.minus(List.of(new Extent(4096, 45056, 4096)), held)).isEmpty();
        assertThat(ExtentMap.minus(List.of(new Extent(4096, 0, 4096)), held)).as("same file bytes, other space")
                .containsExactly(new Extent(4096, 0, 4096));
    }

    @Test
    void invalidExtentsAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Extent(0, 1, 0))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.error()).isEqualTo(FsError.EINVAL));
    }

    /** Random writes: the map agrees with a byte-by-byte model of which volume byte backs each file byte. */
    @Property(tries = 200)
    void randomWritesMatchAByteModel(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int writes) {
        Random random = new Random(seed);
        long[] model = new long[256]; // file byte -> volume offset, 0 = hole
        ExtentMap map = new ExtentMap(List.of());
        long written = 0;
        long freed = 0;
        for (int i = 1; i <= writes; i++) {
            int off = random.nextInt(200);
            int len = 1 + random.nextInt(56);
            Extent e = new Extent(off, i * 1000L + 500, len);
            for (Extent f : map.write(e)) {
                freed += f.length();
            }
            written += len;
            for (int b = off; b < off + len; b++) {
                model[b] = i * 1000L + 500 + (b - off);
            }
        }
        long[] fromMap = new long[256];
        long live = 0;
        Extent previous = null;
        for (Extent e : map.extents()) {
            if (previous != null) {
                assertThat(e.fileOffset()).isGreaterThanOrEqualTo(previous.end());
            }
            previous = e;
            live += e.length();
            for (long b = e.fileOffset(); b < e.end(); b++) {
                fromMap[(int) b] = e.volumeOffset() + (b - e.fileOffset());
            }
        }
        assertThat(fromMap).isEqualTo(model);
        assertThat(live + freed).as("every written byte is live or freed").isEqualTo(written);
        List<Extent> none = new ArrayList<>(map.truncate(Long.MAX_VALUE / 2));
        assertThat(none).isEmpty();
    }
}
