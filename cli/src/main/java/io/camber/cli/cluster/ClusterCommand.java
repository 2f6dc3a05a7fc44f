package io.camber.cli.cluster;

import io.camber.cli.ApiOptions;
import io.camber.cli.http.Json;
import io.camber.cli.render.HumanSize;
import io.camber.cli.render.Table;
import io.camber.common.api.ClusterStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code camber cluster ...}: the cluster as the answering MDS sees it. */
@Command(name = "cluster", description = "Cluster-wide state.")
public final class ClusterCommand {

    @Command(name = "status", description = "Show the MDS group, its leader and what the cluster holds.")
    int status(@Mixin ApiOptions api) {
        String body = api.client().get("/api/v1/cluster/status", null);
        return api.print(body, () -> render(Json.LENIENT.readValue(body, ClusterStatus.class)));
    }

    @Command(name = "rejoin-mds", description = "Take an MDS replica whose disk was wiped or replaced out of the"
            + " group and forget its disk; then start it on its empty data directory: it joins again as a new member"
            + " and catches up. (It refuses to start on an empty directory until this ran.)")
    int rejoinMds(@picocli.CommandLine.Parameters(paramLabel = "REPLICA", description = "its id, e.g. mds2")
                  String replica, @Mixin ApiOptions api) {
        String body = api.client().post("/api/v1/cluster/mds/" + replica + "/rejoin", null, null);
        return api.print(body, () -> Json.LENIENT.readTree(body).path("message").asString() + "\n");
    }

    /** Renders the verdict and its reasons, then key/value lines, then a table of MDS replicas. */
    public static String render(ClusterStatus s) {
        StringBuilder out = new StringBuilder();
        out.append(s.health() == null ? "HEALTH_UNKNOWN (an older MDS)" : s.health()).append('\n');
        if (s.reasons() != null) {
            s.reasons().forEach(r -> out.append("  ").append(r).append('\n'));
        }
        out.append('\n').append(Table.keyValues(
                "cluster", s.clusterId(),
                "leader", s.leader(),
                "answered by", s.answeredBy(),
                "physical pools", s.physicalPools(),
                "logical pools", s.logicalPools(),
                "chunk servers", s.chunkServersUp() + " up of " + s.chunkServers(),
                "copysets", s.copysets() + " (" + s.copysetsHealthy() + " healthy"
                        + (s.copysetsMoving() != null && s.copysetsMoving() > 0 ? " of which " + s.copysetsMoving()
                                + " moving" : "") + ", " + s.copysetsDegraded() + " degraded, "
                        + s.copysetsUnavailable() + " unavailable)",
                "capacity", HumanSize.of(s.capacityBytes()) + " declared, fullest disk " + s.fullestDiskPercent()
                        + "%",
                "volumes", s.volumes(),
                "open sessions", s.openSessions(),
                "chunks to free", s.garbageChunks()));
        if (s.mds() != null && !s.mds().isEmpty()) {
            Table mds = new Table("MDS", "ROLE", "RAFT", "HTTP");
            s.mds().forEach(p -> mds.row(p.id(), p.role(), p.raftAddress(), p.httpAddress()));
            out.append('\n').append(mds.render());
        }
        return out.toString();
    }
}
