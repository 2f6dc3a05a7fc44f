package io.camber.cli.topology;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.CamberClient;
import io.camber.cli.http.Json;
import io.camber.cli.render.Table;
import io.camber.common.ByteSizes;
import io.camber.common.api.ApplyResult;
import io.camber.common.api.LogicalPoolInfo;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologyView;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code camber topology ...}: declare the cluster shape from a file and show what the MDS holds. */
@Command(name = "topology", description = "Apply a topology file or show the current topology.")
public final class TopologyCommand {

    @Command(name = "apply", description = "Apply a topology file; applying the same file twice changes nothing.")
    int apply(@Mixin ApiOptions api,
              @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                      description = "YAML topology, see docs/operations.md") Path file,
              @Option(names = "--dry-run", description = "only list what would change") boolean dryRun) {
        TopologySpec spec = TopologyFile.read(file);
        String body = api.client().post("/api/v1/topology/apply",
                dryRun ? CamberClient.query("dryRun", "true") : null, spec);
        return api.print(body, () -> renderApply(Json.LENIENT.readValue(body, ApplyResult.class), dryRun));
    }

    @Command(name = "show", description = "Show pools, zones, servers and chunk servers.")
    int show(@Mixin ApiOptions api) {
        String body = api.client().get("/api/v1/topology", null);
        return api.print(body, () -> render(Json.LENIENT.readValue(body, TopologyView.class)));
    }

    /** Lists the changes, or says that there were none. */
    public static String renderApply(ApplyResult result, boolean dryRun) {
        List<String> changes = result.changes() == null ? List.of() : result.changes();
        if (changes.isEmpty()) {
            return "topology unchanged: the cluster already matches the file\n";
        }
        StringBuilder out = new StringBuilder(dryRun || !result.applied()
                ? "dry run, would apply " + changes.size() + " change(s):\n"
                : "applied " + changes.size() + " change(s):\n");
        changes.forEach(c -> out.append("  ").append(c).append('\n'));
        return out.toString();
    }

    /** One row per chunk server with its place in the hierarchy, then one row per logical pool. */
    public static String render(TopologyView view) {
        Table servers = new Table("PHYSICAL-POOL", "ZONE", "SERVER", "HOST", "CHUNKSERVER", "PORT", "DISK", "STATE",
                "COPYSETS");
        if (view.physicalPools() != null) {
            for (TopologyView.PhysicalPoolView pool : view.physicalPools()) {
                for (TopologyView.ZoneView zone : nonNull(pool.zones())) {
                    for (TopologyView.ServerView server : nonNull(zone.servers())) {
                        if (nonNull(server.chunkServers()).isEmpty()) {
                            servers.row(pool.name(), zone.name(), server.name(), server.host(), null, null, null, null, null);
                        }
                        nonNull(server.chunkServers()).forEach(cs -> servers.row(pool.name(), zone.name(), server.name(),
                                server.host(), cs.id(), cs.port(), cs.diskPath(), cs.state(), cs.copysets()));
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder(servers.isEmpty() ? "no physical pools: apply a topology file first\n"
                : servers.render());
        out.append('\n').append(logicalPools(nonNull(view.logicalPools())));
        return out.toString();
    }

    static String logicalPools(List<LogicalPoolInfo> pools) {
        if (pools.isEmpty()) {
            return "no logical pools\n";
        }
        Table table = new Table("LOGICAL-POOL", "ID", "PHYSICAL-POOL", "TYPE", "REPLICAS", "CHUNK", "SEGMENT",
                "COPYSETS", "SCATTER-WIDTH(MIN/AVG)");
        pools.forEach(p -> table.row(p.name(), p.id(), p.physicalPool(), p.type(), p.replicas(),
                ByteSizes.format(p.chunkSize()), ByteSizes.format(p.segmentSize()), p.copysets(),
                p.scatterWidthMin() + "/" + String.format("%.1f", p.scatterWidthAvg())));
        return table.render();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
