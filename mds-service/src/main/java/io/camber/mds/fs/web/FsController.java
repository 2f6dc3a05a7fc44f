package io.camber.mds.fs.web;

import io.camber.common.CamberException;
import io.camber.common.api.CreateFsRequest;
import io.camber.common.api.FsInfo;
import io.camber.mds.fs.FsNames;
import io.camber.mds.fs.FsSettings;
import io.camber.mds.fs.MetaHeartbeats;
import io.camber.mds.fs.PartitionPlacer;
import io.camber.mds.fs.PoolUsage;
import io.camber.mds.topology.HeartbeatTracker;
import io.camber.mds.topology.Topology;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.web.Requests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.List;

/**
 * Where file-system requests enter: create, list, describe, delete, and add a partition when a client finds an
 * inode range exhausted. Leaders and usage come from the meta-services' heartbeats to this MDS.
 */
@RestController
@EnableConfigurationProperties(FsSettings.class)
@RequestMapping("/api/v1/fs")
@Tag(name = "file systems", description = "CurveFS-style file systems: data pool and metadata partitions")
public class FsController {
    private final MdsReplication mds;
    private final MetaHeartbeats heartbeats;
    private final HeartbeatTracker chunkServers;
    private final Clock clock;
    private final FsSettings settings;

    public FsController(MdsReplication mds, MetaHeartbeats heartbeats, HeartbeatTracker chunkServers, Clock clock,
                        FsSettings settings) {
        this.mds = mds;
        this.heartbeats = heartbeats;
        this.chunkServers = chunkServers;
        this.clock = clock;
        this.settings = settings;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a file system",
            description = "Places its partitions (default 2, inode ranges of camber.mds.fs.inodes-per-partition ids,"
                    + " 2^20 by default) on meta-services in 3 zones and creates its thin data volume /.fs/<id> in the"
                    + " pool. 400 INVALID_ARGUMENT on a bad name, pool or count; 409 ALREADY_EXISTS for a taken name;"
                    + " 409 CONFLICT when the pool has no copysets.")
    public Mono<FsInfo> create(@RequestBody CreateFsRequest r) {
        String name = FsNames.check(Requests.body(r).name());
        int partitions = r.partitions() == null ? PartitionPlacer.DEFAULT_PARTITIONS : r.partitions();
        if (partitions < 1 || partitions > PartitionPlacer.MAX_INITIAL_PARTITIONS) {
            throw CamberException.invalid("partitions=" + partitions + " is out of range: give 1 to "
                    + PartitionPlacer.MAX_INITIAL_PARTITIONS + " (more are added as inode ranges fill)");
        }
        return mds.submit(new MdsCommand.CreateFs(name, r.pool(), partitions,
                settings.inodesPerPartition(), clock.millis(), heartbeats.offline(), true), FsInfo.class)
                .map(this::overlay);
    }

    @GetMapping
    @Operation(summary = "List file systems with their partitions")
    public Mono<List<FsInfo>> list() {
        return mds.query(new MdsQuery.ListFs(), FsInfo[].class)
                .map(all -> List.of(all).stream().map(this::overlay).toList());
    }

    @GetMapping("/{name}")
    @Operation(summary = "Describe a file system",
            description = "Its partitions with inode ranges, members, their Raft addresses and the reported leader."
                    + " 404 NOT_FOUND for an unknown name.")
    public Mono<FsInfo> describe(@PathVariable String name) {
        return mds.query(new MdsQuery.GetFs(FsNames.check(name)), FsInfo.class).map(this::overlay);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a file system",
            description = "Refused with 409 CONFLICT while a client has it mounted (holds a session on its data"
                    + " volume), with 409 DATA_LOSS_REFUSED while it holds more than its root directory, and with"
                    + " 503 UNAVAILABLE while a partition has not reported its usage; force=true deletes anyway.")
    public Mono<Void> delete(@PathVariable String name, @RequestParam(defaultValue = "false") boolean force) {
        String checked = FsNames.check(name);
        // The usage seen here travels in the command, so every replica applies the same decision.
        return mds.query(new MdsQuery.GetFs(checked), FsInfo.class).map(heartbeats::overlay)
                .flatMap(fs -> mds.submit(new MdsCommand.DeleteFs(checked, force,
                        fs.inodesUsed() < 0 ? null : fs.inodesUsed(), true), Boolean.class))
                .then();
    }

    @PostMapping("/{name}/partitions")
    @Operation(summary = "Add a partition after one ran out of inode ids",
            description = "A client whose create got ENOSPC from partition `full` calls this; the MDS adds a"
                    + " partition with the next inode range unless one newer than `full` exists already, so"
                    + " concurrent callers add one. Answers the file system with its partitions.")
    public Mono<FsInfo> addPartition(@PathVariable String name, @RequestParam int full) {
        if (full < 0) {
            throw CamberException.invalid("full=" + full + " is not a partition id: give the id of the partition"
                    + " that answered ENOSPC");
        }
        return mds.submit(new MdsCommand.AddFsPartition(FsNames.check(name), full,
                settings.inodesPerPartition(), heartbeats.offline()), FsInfo.class)
                .map(this::overlay);
    }

    /** What heartbeats know: partitions' leaders and usage, and the pool's capacity and use for statfs. */
    private FsInfo overlay(FsInfo fs) {
        FsInfo reported = heartbeats.overlay(fs);
        Topology t = mds.stateMachine().topology();
        long poolId = t.logicalPool(fs.pool()).map(Topology.LogicalPool::id).orElse(-1L);
        PoolUsage usage = PoolUsage.of(t, poolId, chunkServers.latest());
        return reported.withUsage(reported.inodesUsed(), reported.partitions(), usage.capacityBytes(),
                usage.usedBytes());
    }
}
