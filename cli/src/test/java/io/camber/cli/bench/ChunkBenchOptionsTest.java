package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.cli.CliFailure;
import io.camber.cli.bench.BenchPlan.CopysetMode;
import io.camber.cli.bench.BenchPlan.Op;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChunkBenchOptionsTest {

    private static BenchPlan plan(String... args) {
        ChunkBenchOptions options = new ChunkBenchOptions();
        new CommandLine(options).parseArgs(args);
        return options.plan();
    }

    @Test
    void defaultsAreBothModesThreeSizesThreeDepthsAndFiveSeconds() {
        BenchPlan plan = plan();

        assertThat(plan.modes()).containsExactly(CopysetMode.ONE, CopysetMode.ALL);
        assertThat(plan.sizes()).containsExactly(4096, 65536, 1048576);
        assertThat(plan.depths()).containsExactly(1, 8, 32);
        assertThat(plan.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.ops()).isZero();
    }

    @Test
    void opsReplaceTheDurationAndListsAcceptSpacesAndUnits() {
        BenchPlan plan = plan("--copysets", "ALL", "--sizes", "8k, 2MiB,4096", "--depths", "4", "--ops", "100");

        assertThat(plan.modes()).containsExactly(CopysetMode.ALL);
        assertThat(plan.sizes()).containsExactly(8192, 2 * 1024 * 1024, 4096);
        assertThat(plan.depths()).containsExactly(4);
        assertThat(plan.duration()).isNull();
        assertThat(plan.ops()).isEqualTo(100);
    }

    @Test
    void refusesSecondsAndOpsTogether() {
        assertThatThrownBy(() -> plan("--seconds", "3", "--ops", "10"))
                .isInstanceOf(CliFailure.class).hasMessageContaining("--seconds and --ops")
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(CliFailure.USAGE));
    }

    @Test
    void refusesUnalignedOrMalformedSizesNamingTheValue() {
        assertThatThrownBy(() -> plan("--sizes", "4KiB,6000")).hasMessageContaining("'6000'")
                .hasMessageContaining("multiple of 4KiB");
        assertThatThrownBy(() -> plan("--sizes", "4GB")).hasMessageContaining("'4GB' is not a size");
        assertThatThrownBy(() -> plan("--sizes", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> plan("--sizes", " , ")).hasMessageContaining("--sizes is empty");
    }

    @Test
    void refusesBadDepthsAndModes() {
        assertThatThrownBy(() -> plan("--depths", "1,x")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> plan("--depths", "0")).hasMessageContaining("outside 1..1024");
        assertThatThrownBy(() -> plan("--copysets", "some")).hasMessageContaining("one, all, both");
        assertThatThrownBy(() -> plan("--seconds", "0")).hasMessageContaining("--seconds must be at least 1");
    }

    @Test
    void casesRunWritesBeforeReadsForEachModeAndSize() {
        List<BenchPlan.BenchCase> cases = plan("--sizes", "4KiB,8KiB", "--depths", "1,8").cases();

        assertThat(cases).hasSize(2 * 2 * 2 * 2);
        assertThat(cases.subList(0, 4)).containsExactly(
                new BenchPlan.BenchCase(CopysetMode.ONE, Op.WRITE, 4096, 1),
                new BenchPlan.BenchCase(CopysetMode.ONE, Op.WRITE, 4096, 8),
                new BenchPlan.BenchCase(CopysetMode.ONE, Op.READ, 4096, 1),
                new BenchPlan.BenchCase(CopysetMode.ONE, Op.READ, 4096, 8));
        assertThat(cases.get(8)).isEqualTo(new BenchPlan.BenchCase(CopysetMode.ALL, Op.WRITE, 4096, 1));
    }
}
