package io.camber.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpStatsTest {
    @Test
    void summarizesCallsFailuresAndMeanMicrosecondsByOperationName() {
        OpStats stats = new OpStats();
        stats.record("write", 3_000, false);
        stats.record("write", 5_000, true);
        stats.record("getattr", 1_000, false);
        assertThat(stats.summary()).isEqualTo("getattr=1/0/1 write=2/1/4");
        assertThat(stats.calls("write")).isEqualTo(2);
        assertThat(stats.calls("read")).isZero();
    }
}
