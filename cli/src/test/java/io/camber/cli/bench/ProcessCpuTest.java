package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void sumsEveryPidAndIsEmptyWhenOneIsGone() {
        Map<Long, Duration> cpu = Map.of(11L, Duration.ofMillis(250), 12L, Duration.ofSeconds(2));
        ProcessCpu both = new ProcessCpu(List.of(11L, 12L), pid -> Optional.ofNullable(cpu.get(pid)));
        ProcessCpu oneGone = new ProcessCpu(List.of(11L, 13L), pid -> Optional.ofNullable(cpu.get(pid)));

        assertThat(both.totalNanos()).hasValue(2_250_000_000L);
        assertThat(oneGone.totalNanos()).isEmpty();
        assertThat(new ProcessCpu(List.of()).totalNanos()).isEmpty();
    }

    @Test
    void readsThisProcessesCpuFromTheSystem() {
        OptionalLong own = new ProcessCpu(List.of(ProcessHandle.current().pid())).totalNanos();

        assertThat(own).isPresent();
        assertThat(own.getAsLong()).isPositive();
    }

    @Test
    void microsPerOpIsTheDeltaOverRequestsOrNullWhenUnknown() {
        assertThat(ProcessCpu.microsPerOp(OptionalLong.of(1_000_000), OptionalLong.of(21_000_000), 4)).isEqualTo(5000.0);
        assertThat(ProcessCpu.microsPerOp(OptionalLong.empty(), OptionalLong.of(1), 4)).isNull();
        assertThat(ProcessCpu.microsPerOp(OptionalLong.of(0), OptionalLong.of(1), 0)).isNull();
    }
}
