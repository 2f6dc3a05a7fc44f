package io.camber.cli.playground;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.playground.PlaygroundState.ProcessRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    @Test
    void stopLeavesAProcessAloneWhenItsPidWasReusedByAnotherProgram() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            long realStart = sleeper.info().startInstant().orElseThrow().toEpochMilli();
            ProcessRecord stale = record(sleeper.pid(), realStart - 3_600_000);
            ProcessRecord ours = record(sleeper.pid(), realStart);

            assertThat(ServiceProcess.isAlive(stale)).isFalse();
            assertThat(ServiceProcess.stop(List.of(stale), Duration.ofSeconds(1))).isZero();
            assertThat(sleeper.isAlive()).isTrue();

            assertThat(ServiceProcess.isAlive(ours)).isTrue();
            assertThat(ServiceProcess.stop(List.of(ours), Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void tailReturnsTheLastLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("x.log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);

        assertThat(ServiceProcess.tail(log, 3)).isEqualTo("line 98\nline 99\nline 100");
        assertThat(ServiceProcess.tail(dir.resolve("missing.log"), 3)).startsWith("(cannot read");
    }

    private static ProcessRecord record(long pid, long startMillis) {
        return new ProcessRecord("sleeper", pid, 1, null, "none.jar", "none.log", startMillis);
    }
}
