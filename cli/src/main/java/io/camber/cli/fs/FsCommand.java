package io.camber.cli.fs;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.CamberClient;
import io.camber.cli.http.Json;
import io.camber.common.api.CreateFsRequest;
import io.camber.common.api.FsInfo;
import io.camber.common.api.MetaServerInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.type.TypeReference;

/** {@code camber fs ...}: file systems kept by the MDS, their metadata partitions and the meta-services. */
@Command(name = "fs", description = "Create, list, describe, remove, mount and unmount file systems.",
        subcommands = {FsMountCommand.class, FsUmountCommand.class})
public final class FsCommand {

    private static final String FS = "/api/v1/fs";

    @Command(name = "create", description = "Create a file system; its metadata partitions are placed on"
            + " meta-services in 3 zones.")
    int create(@Mixin ApiOptions api,
               @Parameters(paramLabel = "NAME", description = "letters, digits, '.', '_', '-'; e.g. demo") String name,
               @Option(names = "--pool", paramLabel = "NAME", description = "logical pool for file data (default: the"
                       + " only one)") String pool,
               @Option(names = "--partitions", paramLabel = "N", description = "metadata partitions to start with"
                       + " (default: 2; more are added as inode ranges fill)") Integer partitions) {
        String body = api.client().post(FS, null, new CreateFsRequest(name, pool, partitions));
        return api.print(body, () -> "created file system " + FsView.info(fs(body)));
    }

    @Command(name = "ls", description = "List file systems.")
    int ls(@Mixin ApiOptions api) {
        String body = api.client().get(FS, null);
        return api.print(body, () -> FsView.listing(Json.LENIENT.readValue(body, new TypeReference<List<FsInfo>>() { })));
    }

    @Command(name = "info", description = "Show a file system: data pool, usage, partitions with their inode ranges,"
            + " members and leaders.")
    int info(@Mixin ApiOptions api, @Parameters(paramLabel = "NAME") String name) {
        String body = api.client().get(FS + "/" + segment(name), null);
        return api.print(body, () -> FsView.info(fs(body)));
    }

    @Command(name = "rm", description = "Remove a file system; one holding files (or whose usage is not reported yet)"
            + " only with --force.")
    int rm(@Mixin ApiOptions api,
           @Parameters(paramLabel = "NAME") String name,
           @Option(names = "--force", description = "remove it with whatever it holds") boolean force) {
        String body = api.client().delete(FS + "/" + segment(name), force ? CamberClient.query("force", "true") : null);
        return api.print(body, () -> "removed file system " + name + "\n");
    }

    @Command(name = "metaservers", description = "List the meta-services with their zones, liveness and partitions.")
    int metaServers(@Mixin ApiOptions api) {
        String body = api.client().get("/api/v1/metaservers", null);
        return api.print(body, () -> FsView.metaServers(
                Json.LENIENT.readValue(body, new TypeReference<List<MetaServerInfo>>() { })));
    }

    private static FsInfo fs(String body) {
        return Json.LENIENT.readValue(body, FsInfo.class);
    }

    /** A name as one URL path segment; the MDS owns the naming rule and its message. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
