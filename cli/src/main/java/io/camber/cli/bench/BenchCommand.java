package io.camber.cli.bench;

import io.camber.cli.ApiOptions;
import io.camber.cli.CliFailure;
import io.camber.cli.http.Json;
import io.camber.cli.playground.PlaygroundState;
import io.camber.common.api.CopysetInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.core.type.TypeReference;

/** {@code camber bench ...}: load generators that print numbers for a running cluster; never run as tests. */
@Command(name = "bench", description = "Measure a running cluster.")
public final class BenchCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "chunks", description = {
            "Write then read chunks straight to copyset leaders at each size and queue depth;",
            "print ops/s, MiB/s, p50/p99 latency and, for writes, chunk-service disk bytes per client byte."})
    int chunks(@Mixin ApiOptions api, @Mixin ChunkBenchOptions options) throws InterruptedException, IOException {
        BenchPlan plan = options.plan();
        String body = api.client().get("/api/v1/copysets", null);
        List<CopysetInfo> copysets = Json.LENIENT.readValue(body, new TypeReference<List<CopysetInfo>>() { });
        if (copysets.isEmpty()) {
            throw CliFailure.local("no copysets: apply a topology with a logical pool first (playground up does)");
        }
        long chunkSize = copysets.stream().mapToLong(CopysetInfo::chunkSize).min().orElseThrow();
        if (plan.largestSize() > chunkSize) {
            throw new CliFailure(CliFailure.USAGE, "--sizes: " + plan.largestSize() + " bytes is larger than a chunk ("
                    + chunkSize + "): use smaller sizes");
        }
        PrintWriter err = spec.commandLine().getErr();
        DiskWrites disk = new DiskWrites(chunkServicePids(options.dir(), err));
        List<BenchRow> rows = new ChunkBench(plan, copysets, options.chunks(), disk, err).run(options.keep());
        String json = Json.LENIENT.writerWithDefaultPrettyPrinter().writeValueAsString(rows);
        return api.print(json, () -> BenchTable.render(rows));
    }

    /** The live chunk-service pids of the playground in dir; empty (with a note) when there is none. */
    static List<Long> chunkServicePids(Path dir, PrintWriter err) {
        List<Long> pids = PlaygroundState.read(dir).map(s -> s.processes().stream()
                        .filter(p -> p.name().startsWith("chunk-service"))
                        .map(PlaygroundState.ProcessRecord::pid)
                        .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .toList())
                .orElse(List.of());
        if (pids.isEmpty()) {
            err.println("bench: no live chunk services in " + dir.resolve(PlaygroundState.FILE)
                    + ": disk bytes per client byte will be n/a (pass --dir of the playground)");
        }
        return pids;
    }
}
