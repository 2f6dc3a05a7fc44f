package io.camber.mds.topology.web;

import io.camber.common.CamberException;
import io.camber.common.api.ApplyResult;
import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerInfo;
import io.camber.common.api.ChunkServerRegistration;
import io.camber.common.api.CopysetInfo;
import io.camber.common.api.CopysetRef;
import io.camber.common.api.ChunkServerState;
import io.camber.mds.schedule.RecoveryPlanner;
import io.camber.mds.topology.Topology;
import io.camber.common.api.LogicalPoolInfo;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologyView;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.topology.HeartbeatTracker;
import io.camber.mds.web.Requests;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * Where topology requests enter: apply a declared layout, register, drain and remove chunk servers, list pools and
 * copysets.
 */
@RestController
@RequestMapping("/api/v1")
public class TopologyController {
    private final MdsReplication mds;
    private final HeartbeatTracker heartbeats;

    private final java.time.Duration offlineAfter;

    public TopologyController(MdsReplication mds, HeartbeatTracker heartbeats, io.camber.mds.MdsProperties props) {
        this.mds = mds;
        this.heartbeats = heartbeats;
        this.offlineAfter = props.chunkserverOfflineAfter();
    }

    @GetMapping("/topology")
    public Mono<TopologyView> topology() {
        return mds.query(new MdsQuery.GetTopology(), TopologyView.class).map(this::withLiveness);
    }

    private TopologyView withLiveness(TopologyView view) {
        return new TopologyView(view.physicalPools().stream().map(p -> new TopologyView.PhysicalPoolView(p.id(), p.name(),
                p.zones().stream().map(z -> new TopologyView.ZoneView(z.id(), z.name(), z.servers().stream()
                        .map(s -> new TopologyView.ServerView(s.id(), s.name(), s.host(),
                                heartbeats.overlay(s.chunkServers()))).toList())).toList())).toList(),
                view.logicalPools());
    }

    @PostMapping("/topology/apply")
    public Mono<ApplyResult> apply(@RequestBody TopologySpec spec,
                                   @RequestParam(defaultValue = "false") boolean dryRun) {
        Requests.body(spec);
        return dryRun ? mds.query(new MdsQuery.PlanTopology(spec), ApplyResult.class)
                : mds.submit(new MdsCommand.ApplyTopology(spec), ApplyResult.class);
    }

    @PostMapping("/chunkservers")
    public Mono<ChunkServerInfo> register(@RequestBody ChunkServerRegistration registration) {
        Requests.body(registration);
        return mds.submit(new MdsCommand.RegisterChunkServer(registration), ChunkServerInfo.class);
    }

    @GetMapping("/chunkservers")
    public Mono<List<ChunkServerInfo>> chunkServers() {
        return mds.query(new MdsQuery.ListChunkServers(), ChunkServerInfo[].class).map(List::of)
                .map(heartbeats::overlay);
    }

    /**
     * Starts draining a chunk server: the MDS leader moves each of its replicas to another chunk server (a new one
     * joins and catches up before the old one leaves) and places no new one on it. Progress shows in its copyset
     * count; at 0 it can be removed.
     */
    @PostMapping("/chunkservers/{id}/drain")
    public Mono<ApplyResult> drain(@PathVariable long id) {
        return mds.submit(new MdsCommand.DrainChunkServer(id, true), ApplyResult.class);
    }

    /** Stops draining a chunk server: it takes replicas again (the balancer may move some back). */
    @DeleteMapping("/chunkservers/{id}/drain")
    public Mono<ApplyResult> undrain(@PathVariable long id) {
        return mds.submit(new MdsCommand.DrainChunkServer(id, false), ApplyResult.class);
    }

    /**
     * Removes a chunk server that is a member of no copyset (drain it first), whose copysets' Raft groups no longer
     * count it, and whose service was stopped: a copyset still catching a new replica up from it would otherwise run
     * on two replicas, and one that still heartbeats would keep serving replicas the cluster no longer counts.
     */
    @DeleteMapping("/chunkservers/{id}")
    public Mono<ApplyResult> remove(@PathVariable long id) {
        Map<Long, ChunkServerHeartbeat> latest = heartbeats.latest();
        ChunkServerHeartbeat last = latest.get(id);
        if (last != null && last.copysets() != null && !last.copysets().isEmpty()) {
            throw CamberException.conflict("chunk server " + id + " still hosted replicas of " + last.copysets().size()
                    + " copysets when it last reported: wait until their leaders run without it (camber cluster status"
                    + " HEALTH_OK) and it deleted them; if it was stopped before that, start it again so it can");
        }
        latest.values().stream().filter(hb -> hb.copysets() != null).flatMap(hb -> hb.copysets().stream())
                .filter(r -> r.leader() && r.peers() != null && r.peers().contains(id)).findFirst().ifPresent(r -> {
                    throw CamberException.conflict("copyset " + r.logicalPoolId() + "/" + r.copysetId() + "'s Raft"
                            + " group still counts chunk server " + id + ": wait until its new replica caught up");
                });
        long silentMillis = heartbeats.silenceMillis(id);
        if (silentMillis < offlineAfter.toMillis()) {
            throw CamberException.conflict("chunk server " + id + " reported " + silentMillis / 1000 + " s ago: stop"
                    + " its chunk service first, and remove it once it is OFFLINE (after " + offlineAfter.toSeconds()
                    + " s of silence)");
        }
        return mds.submit(new MdsCommand.RemoveChunkServer(id), ApplyResult.class)
                .doOnNext(removed -> heartbeats.forget(id));
    }

    /**
     * The copysets a chunk server hosts an old replica of: the MDS replaced it there and the copyset's leader runs
     * a committed configuration without it, so it may delete that replica.
     */
    @GetMapping("/chunkservers/{id}/removable-copysets")
    public List<CopysetRef> removable(@PathVariable long id) {
        Topology t = mds.stateMachine().topology();
        return RecoveryPlanner.removable(t, id, cs -> heartbeats.stateOf(cs) == ChunkServerState.ONLINE,
                heartbeats.latest()).stream().map(c -> new CopysetRef(c.logicalPoolId(), c.id())).toList();
    }

    /** A chunk server reports in; the answer lists the copysets it must host. */
    @PostMapping("/chunkservers/{id}/heartbeat")
    public Mono<List<CopysetInfo>> heartbeat(@PathVariable long id, @RequestBody ChunkServerHeartbeat heartbeat) {
        Requests.body(heartbeat);
        if (heartbeat.chunkServerId() != id) {
            throw CamberException.invalid("heartbeat of chunk server " + heartbeat.chunkServerId() + " sent to /"
                    + id + ": the ids must match");
        }
        heartbeats.record(heartbeat);
        return mds.query(new MdsQuery.ListCopysets(null, id), CopysetInfo[].class).map(List::of);
    }

    @GetMapping("/pools")
    public Mono<List<LogicalPoolInfo>> pools() {
        return mds.query(new MdsQuery.ListPools(), LogicalPoolInfo[].class).map(List::of);
    }

    @GetMapping("/copysets")
    public Mono<List<CopysetInfo>> copysets(@RequestParam(required = false) String pool,
                                            @RequestParam(required = false) Long chunkServer) {
        return mds.query(new MdsQuery.ListCopysets(pool, chunkServer), CopysetInfo[].class).map(List::of);
    }
}
