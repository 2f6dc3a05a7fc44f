package io.camber.mds.topology.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CopysetPlacerTest {

    @Test
    void threeServersInThreeZonesUseAllThreeInEveryCopyset() {
        List<PlacementSlot> slots = List.of(new PlacementSlot(1, 100), new PlacementSlot(2, 200),
                new PlacementSlot(3, 300));

        Placement placement = CopysetPlacer.place(slots, List.of(), 5, 3);

        assertThat(placement.newCopysets()).hasSize(5)
                .allSatisfy(copyset -> assertThat(copyset).containsExactlyInAnyOrder(1L, 2L, 3L));
        assertThat(placement.scatter()).isEqualTo(new ScatterStats(2, 2.0, 2));
    }

    @Test
    void fewerZonesThanReplicasIsRejectedWithWhatToAdd() {
        List<PlacementSlot> slots = List.of(new PlacementSlot(1, 100), new PlacementSlot(2, 100),
                new PlacementSlot(3, 200));

        assertThatThrownBy(() -> CopysetPlacer.place(slots, List.of(), 1, 3))
                .isInstanceOfSatisfying(CamberException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("3 different zones")
                .hasMessageContaining("only 2 zone(s)")
                .hasMessageContaining("add chunk servers in 1 more zone(s)");
    }

    @Test
    void emptyPoolAndBadCountsAreRejected() {
        List<PlacementSlot> slots = pool(3, 3);
        assertThatThrownBy(() -> CopysetPlacer.place(List.of(), List.of(), 1, 3))
                .isInstanceOf(CamberException.class).hasMessageContaining("no chunk servers");
        assertThatThrownBy(() -> CopysetPlacer.place(slots, List.of(), 1, 0))
                .isInstanceOf(CamberException.class).hasMessageContaining("replicas must be at least 1");
        assertThatThrownBy(() -> CopysetPlacer.place(slots, List.of(), -1, 3))
                .isInstanceOf(CamberException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> CopysetPlacer.place(
                List.of(new PlacementSlot(1, 1), new PlacementSlot(1, 2), new PlacementSlot(3, 3)),
                List.of(), 1, 3)).isInstanceOf(CamberException.class).hasMessageContaining("listed twice");
    }

    @Test
    void zeroNewCopysetsReportsScatterOfExistingOnes() {
        Placement placement = CopysetPlacer.place(pool(4, 4), List.of(List.of(1L, 2L, 3L)), 0, 3);

        assertThat(placement.newCopysets()).isEmpty();
        assertThat(placement.scatter()).isEqualTo(new ScatterStats(0, 1.5, 2));
    }

    @Test
    void sameInputGivesSamePlacementWhateverTheSlotOrder() {
        List<PlacementSlot> slots = pool(12, 4);
        List<PlacementSlot> shuffled = new ArrayList<>(slots);
        Collections.shuffle(shuffled, new Random(7));

        Placement first = CopysetPlacer.place(slots, List.of(), 200, 3);

        assertThat(CopysetPlacer.place(slots, List.of(), 200, 3)).isEqualTo(first);
        assertThat(CopysetPlacer.place(shuffled, List.of(), 200, 3)).isEqualTo(first);
    }

    @Test
    void thirtyServersWithHundredCopysetsEachArePlacedFastBalancedAndFullyScattered() {
        List<PlacementSlot> slots = pool(30, 3);
        int count = CopysetPlacer.suggestedCopysets(30, 3);

        long start = System.nanoTime();
        Placement placement = CopysetPlacer.place(slots, List.of(), count, 3);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(count).isEqualTo(1000);
        assertThat(millis).as("placement time in ms").isLessThan(1000);
        Map<Long, Integer> loads = new HashMap<>();
        placement.newCopysets().forEach(c -> c.forEach(s -> loads.merge(s, 1, Integer::sum)));
        assertThat(loads).hasSize(30);
        assertThat(loads.values()).allSatisfy(load -> assertThat(load).isBetween(99, 101));
        // Every server shares copysets with all 20 servers outside its own zone.
        assertThat(placement.scatter()).isEqualTo(new ScatterStats(20, 20.0, 20));
        Set<List<Long>> distinct = new HashSet<>();
        placement.newCopysets().forEach(c -> distinct.add(c.stream().sorted().toList()));
        assertThat(distinct.size()).as("distinct member sets").isGreaterThanOrEqualTo(940);
    }

    @Test
    void newServersReceiveTheNewCopysetsAfterScaleOut() {
        List<PlacementSlot> before = pool(9, 3);
        Placement first = CopysetPlacer.place(before, List.of(), 30, 3);
        List<PlacementSlot> after = new ArrayList<>(before);
        after.addAll(List.of(new PlacementSlot(10, 0), new PlacementSlot(11, 1),
                new PlacementSlot(12, 2)));

        Placement second = CopysetPlacer.place(after, first.newCopysets(), 10, 3);

        // 30 copysets gave the old servers 10 each; 10 more on the 3 empty servers fill them up to 10.
        assertThat(second.newCopysets()).allSatisfy(
                copyset -> assertThat(copyset).containsExactlyInAnyOrder(10L, 11L, 12L));
    }

    @Test
    void suggestedCopysetsFollowsAHundredPerChunkServer() {
        assertThat(CopysetPlacer.suggestedCopysets(30, 3)).isEqualTo(1000);
        assertThat(CopysetPlacer.suggestedCopysets(3, 3)).isEqualTo(100);
        assertThat(CopysetPlacer.suggestedCopysets(0, 3)).isEqualTo(1);
        assertThatThrownBy(() -> CopysetPlacer.suggestedCopysets(3, 0))
                .isInstanceOf(CamberException.class);
    }

    @Test
    void scatterCountsDistinctPeersOfTheGivenServersOnly() {
        List<List<Long>> copysets = List.of(List.of(1L, 2L, 3L), List.of(1L, 4L, 5L),
                List.of(1L, 2L, 3L));

        assertThat(CopysetPlacer.scatter(copysets, List.of(1L, 2L, 6L)))
                .isEqualTo(new ScatterStats(0, 2.0, 4));
        assertThat(CopysetPlacer.scatter(copysets, List.of())).isEqualTo(new ScatterStats(0, 0.0, 0));
    }

    /** Servers 1..n dealt round robin over zones 0..zones-1. */
    private static List<PlacementSlot> pool(int servers, int zones) {
        List<PlacementSlot> slots = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            slots.add(new PlacementSlot(i + 1, i % zones));
        }
        return slots;
    }
}
