package io.camber.cli.topology;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.Json;
import io.camber.cli.render.Table;
import io.camber.cli.render.HumanSize;
import io.camber.common.api.ApplyResult;
import io.camber.common.api.ChunkServerInfo;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.type.TypeReference;

/**
 * {@code camber chunkserver ls|drain|rm}: every chunk server and its heartbeat state; taking one out of service
 * (drain moves its replicas away, rm removes it once it holds none).
 */
@Command(name = "chunkserver", description = "Inspect, drain and remove chunk servers.")
public final class ChunkServerCommand {

    @Command(name = "drain", description = "Move every replica off a chunk server (a new replica joins and catches"
            + " up before the old one leaves); it takes no new ones. Watch its COPYSETS and REPLICAS in"
            + " `camber chunkserver ls` fall to 0, then stop it and `camber chunkserver rm` it.")
    int drain(@Mixin ApiOptions api, @Parameters(paramLabel = "ID", description = "chunk server id") long id,
              @Option(names = "--cancel", description = "stop draining: it takes replicas again") boolean cancel) {
        String path = "/api/v1/chunkservers/" + id + "/drain";
        String body = cancel ? api.client().delete(path, null) : api.client().post(path, null, null);
        return api.print(body, () -> changed(Json.LENIENT.readValue(body, ApplyResult.class),
                (cancel ? "chunk server " + id + " is not draining" : "chunk server " + id + " is already draining")
                        + "\n"));
    }

    @Command(name = "rm", description = "Remove a chunk server that holds no copyset (drain it first) and whose"
            + " chunk service was stopped.")
    int rm(@Mixin ApiOptions api, @Parameters(paramLabel = "ID", description = "chunk server id") long id) {
        String body = api.client().delete("/api/v1/chunkservers/" + id, null);
        return api.print(body, () -> changed(Json.LENIENT.readValue(body, ApplyResult.class), ""));
    }

    private static String changed(ApplyResult result, String unchanged) {
        List<String> changes = result.changes() == null ? List.of() : result.changes();
        return changes.isEmpty() ? unchanged : String.join("\n", changes) + "\n";
    }

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
                "STATE", "COPYSETS", "REPLICAS");
        servers.stream().sorted(Comparator.comparingLong(ChunkServerInfo::id))
                .forEach(cs -> table.row(cs.id(), cs.physicalPool(), cs.zone(), cs.server(), cs.host() + ":" + cs.port(),
                        cs.dataPort() > 0 ? cs.dataPort() : null, cs.diskPath(), cs.capacityBytes() > 0 ? HumanSize.of(cs.capacityBytes()) : null,
                        Boolean.TRUE.equals(cs.draining()) ? cs.state() + ",DRAINING" : cs.state(), cs.copysets(),
                        cs.replicas()));
        return table.render();
    }
}
