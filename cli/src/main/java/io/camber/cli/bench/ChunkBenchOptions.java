package io.camber.cli.bench;

import io.camber.cli.CliFailure;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of {@code bench chunks}, turned into a validated {@link BenchPlan}. */
public final class ChunkBenchOptions {

    @Option(names = "--copysets", paramLabel = "one|all|both", defaultValue = "both",
            description = "bench chunks in one copyset, spread over all copysets, or both (default: ${DEFAULT-VALUE})")
    String copysets;

    @Option(names = "--sizes", paramLabel = "LIST", defaultValue = "4KiB,64KiB,1MiB",
            description = "request sizes, multiples of 4KiB (default: ${DEFAULT-VALUE})")
    String sizes;

    @Option(names = "--depths", paramLabel = "LIST", defaultValue = "1,8,32",
            description = "queue depths: requests kept in flight (default: ${DEFAULT-VALUE})")
    String depths;

    @Option(names = "--seconds", paramLabel = "N", description = "wall time per case (default: 5)")
    Integer seconds;

    @Option(names = "--ops", paramLabel = "N", description = "requests per case, instead of --seconds")
    Long ops;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "32",
            description = "bench chunks per mode; with --copysets all they are spread round-robin (default: ${DEFAULT-VALUE})")
    int chunks;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "playground",
            description = "playground directory: the chunk services' pids and data disks (default: ./${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--keep", description = "keep the bench chunks afterwards (default: delete them)")
    boolean keep;

    /** The plan these options describe; a bad value is a usage error naming the option. */
    public BenchPlan plan() {
        if (seconds != null && ops != null) {
            throw new CliFailure(CliFailure.USAGE, "--seconds and --ops both given: bound each case by one of them");
        }
        if (seconds != null && seconds < 1) {
            throw new CliFailure(CliFailure.USAGE, "--seconds must be at least 1");
        }
        if (ops != null && ops < 1) {
            throw new CliFailure(CliFailure.USAGE, "--ops must be at least 1");
        }
        if (chunks < 1) {
            throw new CliFailure(CliFailure.USAGE, "--chunks must be at least 1");
        }
        Duration duration = ops != null ? null : Duration.ofSeconds(seconds == null ? 5 : seconds);
        return new BenchPlan(BenchPlan.CopysetMode.parse(copysets), BenchPlan.parseSizes(sizes),
                BenchPlan.parseDepths(depths), duration, ops == null ? 0 : ops);
    }

    public int chunks() {
        return chunks;
    }

    public Path dir() {
        return dir.toAbsolutePath().normalize();
    }

    public boolean keep() {
        return keep;
    }
}
