package io.camber.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.api.PartitionInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionMapTest {
    private static PartitionInfo partition(int id, long start, long end) {
        return new PartitionInfo(7, id, start, end, List.of(1L, 2L, 3L), List.of("m1", "m2", "m3"),
                List.of("h:1", "h:2", "h:3"), "m1", 0, start);
    }

    private final PartitionMap map = new PartitionMap(List.of(partition(2, 201, 301), partition(0, 1, 101),
            partition(1, 101, 201)));

    @Test
    void anInodeGoesToThePartitionWhoseRangeHoldsItsId() {
        assertThat(map.holding(1).partitionId()).as("the root").isEqualTo(0);
        assertThat(map.holding(100).partitionId()).isEqualTo(0);
        assertThat(map.holding(101).partitionId()).as("ranges are half-open").isEqualTo(1);
        assertThat(map.holding(200).partitionId()).isEqualTo(1);
        assertThat(map.holding(300).partitionId()).isEqualTo(2);
    }

    @Test
    void idsOutsideEveryRangeHaveNoPartitionSoTheClientAsksTheMdsAgain() {
        assertThat(map.holding(0)).isNull();
        assertThat(map.holding(301)).isNull();
        assertThat(map.holding(Long.MAX_VALUE)).isNull();
        assertThat(new PartitionMap(List.of(partition(0, 1, 101), partition(2, 201, 301))).holding(150))
                .as("a gap").isNull();
    }

    @Test
    void theNewestPartitionIsTheHighestIdAndKnowsWhetherOneWasAddedAfterAnother() {
        assertThat(map.newest().partitionId()).isEqualTo(2);
        assertThat(map.hasNewerThan(1)).isTrue();
        assertThat(map.hasNewerThan(2)).isFalse();
        assertThat(map.byId(1).start()).isEqualTo(101);
        assertThat(map.byId(9)).isNull();
    }
}
