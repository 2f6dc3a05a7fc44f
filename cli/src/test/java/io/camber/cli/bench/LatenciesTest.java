package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        Latencies l = new Latencies();
        for (long v = 100; v >= 1; v--) { // recorded out of order
            l.record(v);
        }

        assertThat(l.percentileNanos(50)).isEqualTo(50);
        assertThat(l.percentileNanos(99)).isEqualTo(99);
        assertThat(l.percentileNanos(99.5)).isEqualTo(100);
        assertThat(l.percentileNanos(100)).isEqualTo(100);
        assertThat(l.percentileNanos(0.1)).isEqualTo(1);
    }

    @Test
    void smallSamplesRoundUpToAnObservedValue() {
        Latencies l = new Latencies();
        l.record(30);
        l.record(10);
        l.record(20);

        assertThat(l.percentileNanos(50)).isEqualTo(20);
        assertThat(l.percentileNanos(99)).isEqualTo(30);
        assertThat(l.percentileNanos(33)).isEqualTo(10);
    }

    @Test
    void growsPastItsInitialCapacityAndRecordsAfterAPercentile() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 5000; i++) {
            l.record(i * 1_000L);
        }
        assertThat(l.percentileNanos(50)).isEqualTo(2_500_000L);

        l.record(1); // a new minimum after sorting: must be sorted in again
        assertThat(l.count()).isEqualTo(5001);
        assertThat(l.percentileNanos(0.01)).isEqualTo(1);
        assertThat(l.percentileMillis(100)).isEqualTo(5.0);
    }

    @Test
    void emptyHasNoMillisAndRefusesNanos() {
        Latencies l = new Latencies();

        assertThat(l.percentileMillis(50)).isNull();
        assertThatThrownBy(() -> l.percentileNanos(50)).isInstanceOf(IllegalStateException.class);
        l.record(1);
        assertThatThrownBy(() -> l.percentileNanos(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
