package io.camber.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.meta.protocol.PartitionStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class FsUsageSumTest {
    private final List<PartitionStats> partitions = List.of(new PartitionStats(7, 0, 1, 101, 51, 50, 4096),
            new PartitionStats(7, 1, 101, 201, 101, 0, 0), new PartitionStats(7, 2, 201, 301, 211, 9, 8192));

    @Test
    void addsUpThePartitionsAgainstTheDataCapacity() {
        CamberFs.FsUsage usage = FsUsageSum.of(partitions, 1 << 20);
        assertThat(usage.usedBytes()).isEqualTo(12288);
        assertThat(usage.totalBytes()).isEqualTo(1 << 20);
        assertThat(usage.freeBytes()).isEqualTo((1 << 20) - 12288);
        assertThat(usage.freeInodes()).isEqualTo(50 + 100 + 90);
        assertThat(usage.inodes()).isEqualTo(59 + 240);
    }

    @Test
    void withoutACapacityItClaimsNoFreeSpace() {
        CamberFs.FsUsage usage = FsUsageSum.of(partitions, -1);
        assertThat(usage.totalBytes()).isEqualTo(12288);
        assertThat(usage.freeBytes()).isZero();
    }
}
