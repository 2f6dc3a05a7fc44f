package io.camber.mds.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.mds.topology.placement.PlacementSlot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionPlacerTest {
    private static final long M = 1L << 20;

    /** n meta servers per zone in z zones; ids 10*zone + i, zone ids 100 + zone. */
    private static List<PlacementSlot> servers(int zones, int perZone) {
        List<PlacementSlot> slots = new ArrayList<>();
        for (int z = 1; z <= zones; z++) {
            for (int i = 0; i < perZone; i++) {
                slots.add(new PlacementSlot(10L * z + i, 100 + z));
            }
        }
        return slots;
    }

    private static long zoneOf(long server) {
        return 100 + server / 10;
    }

    @Test
    void firstPartitionsHoldTheRootAndFollowOneAnotherWithoutGaps() {
        List<MetaPartition> placed = PartitionPlacer.place(7, List.of(), List.of(), servers(3, 1), 3, M);

        assertThat(placed).extracting(MetaPartition::partitionId).containsExactly(0, 1, 2);
        assertThat(placed).extracting(MetaPartition::start).containsExactly(1L, 1 + M, 1 + 2 * M);
        assertThat(placed).extracting(MetaPartition::end).containsExactly(1 + M, 1 + 2 * M, 1 + 3 * M);
        assertThat(placed).allSatisfy(p -> assertThat(p.fsId()).isEqualTo(7));
    }

    @Test
    void everyPartitionHasThreeReplicasInThreeZones() {
        List<MetaPartition> placed = PartitionPlacer.place(1, List.of(), List.of(), servers(4, 2), 40, M);

        for (MetaPartition p : placed) {
            assertThat(p.members()).hasSize(3);
            assertThat(p.members().stream().map(PartitionPlacerTest::zoneOf).distinct()).hasSize(3);
        }
    }

    @Test
    void partitionsOfEveryFileSystemCountTowardBalance() {
        List<PlacementSlot> slots = servers(3, 2);
        List<List<Long>> all = new ArrayList<>();
        for (long fs = 1; fs <= 6; fs++) {
            PartitionPlacer.place(fs, List.of(), all, slots, 2, M).forEach(p -> all.add(p.members()));
        }
        Map<Long, Integer> load = new HashMap<>();
        all.forEach(m -> m.forEach(s -> load.merge(s, 1, Integer::sum)));
        // 12 partitions x 3 replicas over 6 servers: 6 each when balanced.
        assertThat(load).hasSize(6);
        assertThat(load.values()).allSatisfy(n -> assertThat(n).isEqualTo(6));
    }

    @Test
    void aNewPartitionContinuesTheIdsAndTheRangeOfItsFileSystem() {
        List<MetaPartition> first = PartitionPlacer.place(3, List.of(), List.of(), servers(3, 1), 2, M);
        MetaPartition added = PartitionPlacer.place(3, first, first.stream().map(MetaPartition::members).toList(),
                servers(3, 1), 1, 1000).get(0);

        assertThat(added.partitionId()).isEqualTo(2);
        assertThat(added.start()).isEqualTo(1 + 2 * M);
        assertThat(added.end()).isEqualTo(1 + 2 * M + 1000);
    }

    @Test
    void placementIsTheSameOnEveryReplica() {
        assertThat(PartitionPlacer.place(1, List.of(), List.of(), servers(3, 3), 8, M))
                .isEqualTo(PartitionPlacer.place(1, List.of(), List.of(), servers(3, 3), 8, M));
    }

    @Test
    void fewerThanThreeZonesIsRefusedNamingWhatToStart() {
        assertThatThrownBy(() -> PartitionPlacer.place(1, List.of(), List.of(), servers(2, 3), 2, M))
                .isInstanceOfSatisfying(CamberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("3 different zones", "6 registered", "span 2 zone(s)",
                            "1 more zone(s)");
                });
        assertThatThrownBy(() -> PartitionPlacer.place(1, List.of(), List.of(), List.of(), 2, M))
                .isInstanceOfSatisfying(CamberException.class,
                        e -> assertThat(e.getMessage()).contains("0 registered"));
    }

    @Test
    void countsOutsideOneToSixtyFourAreRefused() {
        for (int count : new int[] {0, -1, 65}) {
            assertThatThrownBy(() -> PartitionPlacer.place(1, List.of(), List.of(), servers(3, 1), count, M))
                    .isInstanceOfSatisfying(CamberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
    }

    @Test
    void replicasSpreadOverManyPeers() {
        List<MetaPartition> placed = PartitionPlacer.place(1, List.of(), List.of(), servers(3, 3), 27, M);
        Set<Set<Long>> sets = new HashSet<>();
        placed.forEach(p -> sets.add(new HashSet<>(p.members())));
        // 27 possible member sets with one server per zone out of 3: placement avoids repeating them.
        assertThat(sets).hasSize(27);
    }
}
