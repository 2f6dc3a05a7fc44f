package io.camber.mds.fs.web;

import io.camber.common.CamberException;
import io.camber.common.api.MetaServerHeartbeat;
import io.camber.common.api.MetaServerInfo;
import io.camber.common.api.MetaServerRegistration;
import io.camber.common.api.PartitionInfo;
import io.camber.mds.fs.MetaHeartbeats;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.web.Requests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;

/** Where meta-services register and heartbeat; the heartbeat answer lists the partitions each must host. */
@RestController
@RequestMapping("/api/v1/metaservers")
@Tag(name = "meta servers", description = "meta-service processes hosting file-system metadata partitions")
public class MetaServerController {
    private final MdsReplication mds;
    private final MetaHeartbeats heartbeats;

    public MetaServerController(MdsReplication mds, MetaHeartbeats heartbeats) {
        this.mds = mds;
        this.heartbeats = heartbeats;
    }

    @PostMapping
    @Operation(summary = "Register a meta-service", description = "A known host:raftPort keeps its id.")
    public Mono<MetaServerInfo> register(@RequestBody MetaServerRegistration registration) {
        Requests.body(registration);
        return mds.submit(new MdsCommand.RegisterMetaServer(registration), MetaServerInfo.class);
    }

    @GetMapping
    @Operation(summary = "List meta-services with their liveness and partition counts")
    public Mono<List<MetaServerInfo>> list() {
        return mds.query(new MdsQuery.ListMetaServers(), MetaServerInfo[].class).map(List::of)
                .map(heartbeats::overlay);
    }

    @PostMapping("/{id}/heartbeat")
    @Operation(summary = "A meta-service reports in",
            description = "The answer lists every partition it is a member of, with their peers, ranges and addresses.")
    public Mono<List<PartitionInfo>> heartbeat(@PathVariable long id, @RequestBody MetaServerHeartbeat heartbeat) {
        Requests.body(heartbeat);
        if (heartbeat.metaServerId() != id) {
            throw CamberException.invalid("heartbeat of meta server " + heartbeat.metaServerId() + " sent to /" + id
                    + ": the ids must match");
        }
        heartbeats.record(heartbeat);
        return mds.query(new MdsQuery.PartitionsOf(id), PartitionInfo[].class).map(List::of);
    }
}
