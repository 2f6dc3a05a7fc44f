package io.camber.cli.bench;

import io.camber.cli.ApiOptions;
import io.camber.cli.CliFailure;
import io.camber.cli.http.Json;
import io.camber.cli.playground.PlaygroundLayout;
import io.camber.cli.playground.PlaygroundState;
import io.camber.common.api.CopysetInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
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
            "print ops/s, MiB/s, p50/p99 latency, chunk-service CPU per request and, for writes, device bytes",
            "written per client byte on the disks of the chunk services' data directories."})
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
        ProcessCpu cpu = new ProcessCpu(chunkServicePids(options.dir(), err));
        DiskWrites disk = DiskWrites.forDirectories(chunkDataDirs(options.dir()), err);
        if (disk.deviceNames().isEmpty()) {
            err.println("bench: no chunk data directory on a block device under " + options.dir().resolve("data")
                    + ": disk bytes per client byte will be n/a (pass --dir of the playground)");
        } else {
            err.println("bench: disk bytes from /sys/block/" + String.join(",", disk.deviceNames())
                    + "/stat: every writer on that disk counts, so keep other IO off it while measuring");
        }
        List<BenchRow> rows = new ChunkBench(plan, copysets, options.chunks(), disk, cpu, err,
                dataToken(api)).run(options.keep());
        String json = Json.LENIENT.writerWithDefaultPrettyPrinter().writeValueAsString(rows);
        return api.print(json, () -> BenchTable.render(rows));
    }

    @Command(name = "s3", description = {
            "PUT and GET objects through the gateway's S3 API, and write and read files of the same size straight",
            "through the FS library, with 1 and N clients; print ops/s, MiB/s, p50/p99 and the ratio s3/library.",
            "Uses the playground's S3 key (--dir) and bucket 'bench' of the file system --fs."})
    int s3(@Mixin ApiOptions api,
           @picocli.CommandLine.Option(names = "--dir", defaultValue = "playground",
                   description = "the playground, for its S3 key (default: ${DEFAULT-VALUE})") Path dir,
           @picocli.CommandLine.Option(names = "--s3-endpoint", defaultValue = "http://127.0.0.1:8080",
                   description = "the gateway (default: ${DEFAULT-VALUE})") String endpoint,
           @picocli.CommandLine.Option(names = "--fs", defaultValue = "demo",
                   description = "the file system S3 serves (default: ${DEFAULT-VALUE})") String fsName,
           @picocli.CommandLine.Option(names = "--sizes", split = ",", defaultValue = "4096,1048576",
                   description = "object sizes in bytes (default: ${DEFAULT-VALUE})") List<Integer> sizes,
           @picocli.CommandLine.Option(names = "--clients", split = ",", defaultValue = "1,16",
                   description = "concurrent clients (default: ${DEFAULT-VALUE})") List<Integer> clients,
           @picocli.CommandLine.Option(names = "--duration", defaultValue = "10s",
                   description = "per case (default: ${DEFAULT-VALUE})") String duration) throws Exception {
        java.util.Properties key = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(
                io.camber.cli.playground.PlaygroundCredentials.s3KeyFile(dir))) {
            key.load(in);
        }
        java.time.Duration each = java.time.Duration.parse("PT" + duration.toUpperCase(java.util.Locale.ROOT));
        List<S3Bench.Row> rows = new java.util.ArrayList<>();
        io.camber.client.mds.MdsAdminClient mds = new io.camber.client.mds.MdsAdminClient(api.endpoint(),
                api.apiKey());
        try (io.camber.client.chunk.ChunkClient chunks = new io.camber.client.chunk.ChunkClient(256L << 20);
             io.camber.client.fs.CamberFs fs = io.camber.client.fs.CamberFs.mount(mds, chunks, fsName,
                     io.camber.client.fs.CamberFs.Options.defaults("bench-s3")).join()) {
            long libDir = io.camber.client.fs.CamberFs.ROOT;
            try {
                libDir = fs.mkdir(libDir, ".bench-library", 040755, new io.camber.client.fs.CamberFs.Caller(0, 0))
                        .join().ino();
            } catch (java.util.concurrent.CompletionException e) {
                libDir = fs.lookup(libDir, ".bench-library").join().ino();
            }
            for (int c : clients) {
                try (var s3 = S3Bench.client(java.net.URI.create(endpoint), key.getProperty("access-key"),
                        key.getProperty("secret-key"), c)) {
                    try {
                        s3.createBucket(b -> b.bucket("bench"));
                    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                        // already there from an earlier run
                    }
                    for (int size : sizes) {
                        rows.addAll(S3Bench.s3(s3, "bench", size, c, each));
                        rows.addAll(S3Bench.library(fs, libDir, size, c, each));
                        spec.commandLine().getErr().println("bench: " + size + " B x " + c + " clients done");
                    }
                }
            }
        }
        spec.commandLine().getOut().print(S3Bench.table(rows));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The chunk services' data directories as the playground in dir lays them out. */
    static List<Path> chunkDataDirs(Path dir) {
        return IntStream.rangeClosed(1, PlaygroundLayout.chunkServices(dir))
                .mapToObj(n -> PlaygroundLayout.chunkDisk(dir, n))
                .toList();
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
                    + ": CPU per request will be n/a (pass --dir of the playground)");
        }
        return pids;
    }

    /** A cluster data token: the bench addresses chunks directly, outside any volume (needs an admin key). */
    private static String dataToken(ApiOptions api) {
        String body = api.client().post("/api/v1/auth/data-tokens", null, java.util.Map.of());
        return io.camber.cli.http.Json.LENIENT.readTree(body).path("token").asString();
    }
}
