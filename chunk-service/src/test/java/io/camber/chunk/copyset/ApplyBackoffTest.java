package io.camber.chunk.copyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApplyBackoffTest {
    private final List<Duration> pauses = new ArrayList<>();
    private final ApplyBackoff backoff = new ApplyBackoff("1-1", Duration.ofMillis(50), Duration.ofMillis(300),
            pauses::add);

    @Test
    void retriesIoFailuresWithGrowingPausesUntilTheApplySucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = backoff.run(9, () -> {
            if (calls.incrementAndGet() < 6) {
                throw new UncheckedIOException(new IOException("No space left on device"));
            }
            return "applied";
        }, () -> false);

        assertThat(result).isEqualTo("applied");
        assertThat(calls).hasValue(6);
        assertThat(pauses).extracting(Duration::toMillis).containsExactly(50L, 100L, 200L, 300L, 300L);
        assertThat(backoff.stalled()).isFalse();
    }

    @Test
    void givesUpOnlyWhenTheReplicaCloses() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> backoff.run(9, () -> {
            calls.incrementAndGet();
            throw new UncheckedIOException(new IOException("Input/output error"));
        }, () -> calls.get() >= 3)).isInstanceOf(ApplyBackoff.Abandoned.class).hasMessageContaining("entry 9")
                .hasRootCauseMessage("Input/output error");
        assertThat(calls).hasValue(3);
        assertThat(backoff.stalled()).isFalse();
    }

    @Test
    void refusalsAndBugsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> backoff.run(9, () -> {
            calls.incrementAndGet();
            throw CamberException.invalid("bad offset");
        }, () -> false)).isInstanceOf(CamberException.class);
        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void reportsAStallWhileRetrying() {
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> seen = new ArrayList<>();
        backoff.run(9, () -> {
            seen.add(backoff.stalled());
            if (calls.incrementAndGet() < 3) {
                throw new UncheckedIOException(new IOException("No space left on device"));
            }
            return null;
        }, () -> false);
        assertThat(seen).containsExactly(false, true, true);
        assertThat(backoff.stalled()).isFalse();
    }
}
