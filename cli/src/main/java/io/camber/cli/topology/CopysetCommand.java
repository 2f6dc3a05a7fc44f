package io.camber.cli.topology;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.CamberClient;
import io.camber.cli.http.Json;
import io.camber.cli.render.Table;
import io.camber.common.api.CopysetInfo;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.core.type.TypeReference;

/** {@code camber copyset ls}: the Ratis groups of chunk servers that hold the chunks. */
@Command(name = "copyset", description = "Inspect copysets.")
public final class CopysetCommand {

    @Command(name = "ls", description = "List copysets and their chunk servers.")
    int ls(@Mixin ApiOptions api,
           @Option(names = "--pool", paramLabel = "NAME", description = "only this logical pool") String pool) {
        String body = api.client().get("/api/v1/copysets", CamberClient.query("pool", pool));
        return api.print(body, () -> render(Json.LENIENT.readValue(body, new TypeReference<List<CopysetInfo>>() { })));
    }

    /** One row per copyset, sorted by pool and id. */
    public static String render(List<CopysetInfo> copysets) {
        if (copysets.isEmpty()) {
            return "no copysets: apply a topology with a logical pool first\n";
        }
        Table table = new Table("LOGICAL-POOL-ID", "COPYSET", "CHUNKSERVERS");
        copysets.stream()
                .sorted(Comparator.comparingLong(CopysetInfo::logicalPoolId).thenComparingInt(CopysetInfo::copysetId))
                .forEach(c -> table.row(c.logicalPoolId(), c.copysetId(), c.chunkServers() == null ? null
                        : c.chunkServers().stream().map(String::valueOf).collect(Collectors.joining(","))));
        return table.render() + copysets.size() + " copysets\n";
    }
}
