package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.api.CopysetInfo;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BenchTargetsTest {

    private static final long CHUNK = 16L * 1024 * 1024;

    private static List<CopysetInfo> copysets(int n) {
        return IntStream.rangeClosed(1, n).map(i -> n + 1 - i) // listed in reverse, as a server may
                .mapToObj(i -> new CopysetInfo(11, i, List.of(1L, 2L, 3L), List.of("a:1", "b:1", "c:1"), List.of("a:2", "b:2", "c:2"), CHUNK))
                .toList();
    }

    @Test
    void oneModePutsEveryChunkInTheLowestCopysetAndAllSpreadsThem() {
        BenchTargets one = BenchTargets.of(BenchPlan.CopysetMode.ONE, copysets(4), 8);
        BenchTargets all = BenchTargets.of(BenchPlan.CopysetMode.ALL, copysets(4), 8);

        assertThat(one.targets()).extracting(t -> t.copyset().copysetId()).containsOnly(1);
        assertThat(all.targets()).extracting(t -> t.copyset().copysetId()).containsExactly(1, 2, 3, 4, 1, 2, 3, 4);
        assertThat(one.targets()).extracting(BenchTargets.Target::chunkId)
                .allSatisfy(id -> assertThat(id).isGreaterThanOrEqualTo(1L << 40))
                .doesNotContainAnyElementsOf(all.targets().stream().map(BenchTargets.Target::chunkId).toList());
    }

    @Test
    void writesAreAlignedAndInsideTheChunkAndReadsReturnOnlyWrittenPositions() {
        BenchTargets t = BenchTargets.of(BenchPlan.CopysetMode.ALL, copysets(3), 3);
        SplittableRandom random = new SplittableRandom(1);
        assertThat(t.randomRead(random)).isNull();

        int size = 1024 * 1024;
        List<BenchTargets.Position> writes = IntStream.range(0, 500).mapToObj(i -> t.randomWrite(random, size)).toList();
        assertThat(writes).allSatisfy(p -> {
            assertThat(p.offset() % 4096).isZero();
            assertThat(p.offset() + size).isLessThanOrEqualTo(CHUNK);
        });
        writes.subList(0, 5).forEach(t::wrote);

        for (int i = 0; i < 100; i++) {
            assertThat(writes.subList(0, 5)).contains(t.randomRead(random));
        }
        t.clearWritten();
        assertThat(t.randomRead(random)).isNull();
    }
}
