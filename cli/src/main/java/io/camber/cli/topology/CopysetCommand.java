package io.camber.cli.topology;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.CamberClient;
import io.camber.cli.http.Json;
import io.camber.cli.render.Table;
import io.camber.cli.CliFailure;
import io.camber.common.api.CopysetHealth;
import io.camber.common.api.LogicalPoolInfo;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.core.type.TypeReference;

/** {@code camber copyset ls}: the Ratis groups of chunk servers that hold the chunks. */
@Command(name = "copyset", description = "Inspect copysets.")
public final class CopysetCommand {

    @Command(name = "ls", description = "List copysets: state, leader, and each replica's liveness and log lag.")
    int ls(@Mixin ApiOptions api,
           @Option(names = "--pool", paramLabel = "NAME", description = "only this logical pool") String pool) {
        Long poolId = null;
        if (pool != null) {
            List<LogicalPoolInfo> pools = Json.LENIENT.readValue(api.client().get("/api/v1/pools", null),
                    new TypeReference<List<LogicalPoolInfo>>() { });
            poolId = pools.stream().filter(p -> p.name().equals(pool)).map(LogicalPoolInfo::id).findFirst()
                    .orElseThrow(() -> new CliFailure(CliFailure.REFUSED, "no logical pool named '" + pool + "': see camber topology show"));
        }
        Long only = poolId;
        String body = api.client().get("/api/v1/copysets/health", null);
        List<CopysetHealth> all = Json.LENIENT.readValue(body, new TypeReference<List<CopysetHealth>>() { });
        List<CopysetHealth> shown = all.stream().filter(c -> only == null || c.logicalPoolId() == only).toList();
        return api.print(only == null ? body : Json.LENIENT.writeValueAsString(shown), () -> render(shown));
    }

    /** One row per copyset: its state, leader, and members as id:state(lag). */
    public static String render(List<CopysetHealth> copysets) {
        if (copysets.isEmpty()) {
            return "no copysets: apply a topology with a logical pool first\n";
        }
        Table table = new Table("LOGICAL-POOL-ID", "COPYSET", "STATE", "LEADER", "MEMBERS (ID:STATE LAG)");
        copysets.forEach(c -> table.row(c.logicalPoolId(), c.copysetId(), c.state(), c.leader(),
                c.members().stream().map(CopysetCommand::member).collect(Collectors.joining(", "))));
        long notHealthy = copysets.stream().filter(c -> !"HEALTHY".equals(c.state())).count();
        return table.render() + copysets.size() + " copysets, " + notHealthy + " not healthy\n";
    }

    private static String member(CopysetHealth.Member m) {
        String state = !m.reporting() && m.state() == io.camber.common.api.ChunkServerState.ONLINE ? "MISSING"
                : String.valueOf(m.state());
        return m.chunkServerId() + ":" + state + (m.lag() == null ? "" : " " + m.lag());
    }
}
