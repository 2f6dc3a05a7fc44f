package io.camber.cli.bench;

import io.camber.common.api.CopysetInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The chunks one copyset mode benches on, and the positions its writes reached so that reads hit written data.
 * Chunk ids start at 2^40, far above what volumes allocate, so bench data never overwrites a volume's chunks.
 */
final class BenchTargets {

    /** First bench chunk id; each mode gets its own 2^20 ids above it. */
    static final long FIRST_CHUNK_ID = 1L << 40;

    private final List<Target> targets;
    private final long chunkSize;
    private long[] written = new long[1024];
    private int writtenCount;

    /** One bench chunk and the copyset that holds it. */
    record Target(CopysetInfo copyset, long chunkId) {
    }

    /** A position a request goes to. */
    record Position(Target target, long offset) {
    }

    private BenchTargets(List<Target> targets, long chunkSize) {
        this.targets = targets;
        this.chunkSize = chunkSize;
    }

    /** {@code chunks} chunks: all in the lowest copyset for ONE, round-robin over every copyset for ALL. */
    static BenchTargets of(BenchPlan.CopysetMode mode, List<CopysetInfo> copysets, int chunks) {
        List<CopysetInfo> sorted = copysets.stream()
                .sorted(Comparator.comparingLong(CopysetInfo::logicalPoolId).thenComparingInt(CopysetInfo::copysetId))
                .toList();
        List<Target> targets = new ArrayList<>();
        for (int n = 0; n < chunks; n++) {
            CopysetInfo c = mode == BenchPlan.CopysetMode.ONE ? sorted.get(0) : sorted.get(n % sorted.size());
            targets.add(new Target(c, FIRST_CHUNK_ID + ((long) mode.ordinal() << 20) + n));
        }
        long chunkSize = sorted.stream().mapToLong(CopysetInfo::chunkSize).min().orElseThrow();
        return new BenchTargets(List.copyOf(targets), chunkSize);
    }

    List<Target> targets() {
        return targets;
    }

    /** A random chunk and a random 4KiB-aligned offset at which size bytes fit inside it. */
    Position randomWrite(SplittableRandom random, int size) {
        long blocks = (chunkSize - size) / BenchPlan.ALIGNMENT + 1;
        return new Position(targets.get(random.nextInt(targets.size())),
                random.nextLong(blocks) * BenchPlan.ALIGNMENT);
    }

    /** Remembers a completed write; called from the chunk client's threads. */
    synchronized void wrote(Position p) {
        if (writtenCount == written.length) {
            written = Arrays.copyOf(written, writtenCount * 2);
        }
        written[writtenCount++] = ((long) targets.indexOf(p.target()) << 32) | (p.offset() / BenchPlan.ALIGNMENT);
    }

    /** A random position an earlier write of at least this size reached; null when nothing was written. */
    synchronized Position randomRead(SplittableRandom random) {
        if (writtenCount == 0) {
            return null;
        }
        long packed = written[random.nextInt(writtenCount)];
        return new Position(targets.get((int) (packed >>> 32)), (packed & 0xffffffffL) * BenchPlan.ALIGNMENT);
    }

    /** Forgets the written positions, before the writes of the next size. */
    synchronized void clearWritten() {
        writtenCount = 0;
    }
}
