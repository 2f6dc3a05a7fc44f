package io.camber.cli.volume;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.CamberClient;
import io.camber.cli.http.Json;
import io.camber.common.api.CreateVolumeRequest;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.ExtendVolumeRequest;
import io.camber.common.api.MkdirRequest;
import io.camber.common.api.RenameRequest;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.type.TypeReference;

/** {@code camber volume ...}: the block-volume namespace kept by the MDS. */
@Command(name = "volume", description = "Create, list, grow, rename and remove volumes and directories.")
public final class VolumeCommand {

    private static final String VOLUMES = "/api/v1/volumes";
    private static final String OWNER_DEFAULT = "${sys:user.name}";

    @Command(name = "create", description = "Create a volume; the size is a whole number of segments (1GiB by default).")
    int create(@Mixin ApiOptions api,
               @Parameters(paramLabel = "PATH", description = "absolute path, e.g. /demo/vol1") String path,
               @Option(names = "--size", required = true, paramLabel = "SIZE", description = "e.g. 10GiB") String size,
               @Option(names = "--pool", paramLabel = "NAME", description = "logical pool (default: the server's)") String pool,
               @Option(names = "--owner", paramLabel = "USER", defaultValue = OWNER_DEFAULT,
                       description = "owner (default: ${DEFAULT-VALUE})") String owner) {
        // the size goes to the MDS as written: it owns the one parser and its error message
        String body = api.client().post(VOLUMES, null, new CreateVolumeRequest(path, size, pool, owner));
        return api.print(body, () -> "created " + EntryView.stat(entry(body)));
    }

    @Command(name = "mkdir", description = "Create a directory.")
    int mkdir(@Mixin ApiOptions api,
              @Parameters(paramLabel = "PATH") String path,
              @Option(names = "--owner", paramLabel = "USER", defaultValue = OWNER_DEFAULT,
                      description = "owner (default: ${DEFAULT-VALUE})") String owner) {
        String body = api.client().post("/api/v1/directories", null, new MkdirRequest(path, owner));
        return api.print(body, () -> "created directory " + entry(body).path() + "\n");
    }

    @Command(name = "ls", description = "List the volumes and directories in a directory.")
    int ls(@Mixin ApiOptions api,
           @Parameters(paramLabel = "DIR", defaultValue = "/", description = "default: /") String dir) {
        String body = api.client().get(VOLUMES, CamberClient.query("dir", dir));
        return api.print(body, () -> EntryView.listing(Json.LENIENT.readValue(body, new TypeReference<List<EntryInfo>>() { })));
    }

    @Command(name = "stat", description = "Show one volume or directory.")
    int stat(@Mixin ApiOptions api, @Parameters(paramLabel = "PATH") String path) {
        String body = api.client().get(VOLUMES + "/stat", CamberClient.query("path", path));
        return api.print(body, () -> EntryView.stat(entry(body)));
    }

    @Command(name = "extend", description = "Grow a volume (shrinking is refused).")
    int extend(@Mixin ApiOptions api,
               @Parameters(paramLabel = "PATH") String path,
               @Option(names = "--size", required = true, paramLabel = "SIZE", description = "new size, e.g. 20GiB") String size) {
        String body = api.client().post(VOLUMES + "/extend", null, new ExtendVolumeRequest(path, size));
        return api.print(body, () -> "extended " + EntryView.stat(entry(body)));
    }

    @Command(name = "rename", description = "Move a volume or directory to a path that does not exist yet.")
    int rename(@Mixin ApiOptions api,
               @Parameters(index = "0", paramLabel = "FROM") String from,
               @Parameters(index = "1", paramLabel = "TO") String to) {
        String body = api.client().post(VOLUMES + "/rename", null, new RenameRequest(from, to));
        return api.print(body, () -> "renamed " + from + " to " + entry(body).path() + "\n");
    }

    @Command(name = "rm", description = "Remove a volume or an empty directory; a volume open read-write is refused.")
    int rm(@Mixin ApiOptions api, @Parameters(paramLabel = "PATH") String path) {
        String body = api.client().delete(VOLUMES, CamberClient.query("path", path));
        return api.print(body, () -> "removed " + path + "\n");
    }

    private static EntryInfo entry(String body) {
        return Json.LENIENT.readValue(body, EntryInfo.class);
    }
}
