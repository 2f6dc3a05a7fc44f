package io.camber.cli.topology;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.Json;
import io.camber.cli.render.Table;
import io.camber.cli.render.HumanSize;
import io.camber.common.api.ChunkServerInfo;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.core.type.TypeReference;

/** {@code camber chunkserver ls}: every chunk server and its heartbeat state. */
@Command(name = "chunkserver", description = "Inspect chunk servers.")
public final class ChunkServerCommand {

    @Command(name = "ls", description = "List chunk servers with zone, disk, state and copyset count.")
    int ls(@Mixin ApiOptions api) {
        String body = api.client().get("/api/v1/chunkservers", null);
        return api.print(body, () -> render(Json.LENIENT.readValue(body, new TypeReference<List<ChunkServerInfo>>() { })));
    }

    /** One row per chunk server, sorted by id. */
    public static String render(List<ChunkServerInfo> servers) {
        if (servers.isEmpty()) {
            return "no chunk servers registered\n";
        }
        Table table = new Table("ID", "PHYSICAL-POOL", "ZONE", "SERVER", "ADDRESS", "DATA-PORT", "DISK", "CAPACITY",
                "STATE", "COPYSETS");
        servers.stream().sorted(Comparator.comparingLong(ChunkServerInfo::id))
                .forEach(cs -> table.row(cs.id(), cs.physicalPool(), cs.zone(), cs.server(), cs.host() + ":" + cs.port(),
                        cs.dataPort() > 0 ? cs.dataPort() : null, cs.diskPath(), cs.capacityBytes() > 0 ? HumanSize.of(cs.capacityBytes()) : null,
                        cs.state(), cs.copysets()));
        return table.render();
    }
}
