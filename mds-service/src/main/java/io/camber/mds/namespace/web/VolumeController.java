package io.camber.mds.namespace.web;

import io.camber.common.ByteSizes;
import io.camber.common.api.CreateVolumeRequest;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.ExtendVolumeRequest;
import io.camber.common.api.MkdirRequest;
import io.camber.common.api.RenameRequest;
import io.camber.common.api.SegmentInfo;
import io.camber.common.api.SegmentRequest;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.session.SessionTable;
import io.camber.mds.web.Requests;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.List;

/** Where namespace requests enter: directories, volumes and their segments. */
@RestController
@RequestMapping("/api/v1")
public class VolumeController {
    private final MdsReplication mds;
    private final Clock clock;

    public VolumeController(MdsReplication mds, Clock clock) {
        this.mds = mds;
        this.clock = clock;
    }

    @PostMapping("/directories")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<EntryInfo> mkdir(@RequestBody MkdirRequest r) {
        String path = Requests.path(Requests.body(r).path(), "path");
        return mds.submit(new MdsCommand.Mkdir(path, r.owner(), clock.millis()), EntryInfo.class);
    }

    @PostMapping("/volumes")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<EntryInfo> create(@RequestBody CreateVolumeRequest r) {
        String path = Requests.path(Requests.body(r).path(), "path");
        long size = ByteSizes.parse(r.size());
        return mds.submit(new MdsCommand.CreateVolume(path, size, r.pool(), r.owner(), clock.millis()), EntryInfo.class);
    }

    @GetMapping("/volumes")
    public Mono<List<EntryInfo>> list(@RequestParam(defaultValue = "/") String dir) {
        return mds.query(new MdsQuery.ListDir(Requests.path(dir, "dir")), EntryInfo[].class).map(List::of);
    }

    @GetMapping("/volumes/stat")
    public Mono<EntryInfo> stat(@RequestParam String path) {
        return mds.query(new MdsQuery.Stat(Requests.path(path, "path")), EntryInfo.class);
    }

    @PostMapping("/volumes/extend")
    public Mono<EntryInfo> extend(@RequestBody ExtendVolumeRequest r) {
        String path = Requests.path(Requests.body(r).path(), "path");
        return mds.submit(new MdsCommand.ExtendVolume(path, ByteSizes.parse(r.size())), EntryInfo.class);
    }

    @PostMapping("/volumes/rename")
    public Mono<EntryInfo> rename(@RequestBody RenameRequest r) {
        String from = Requests.path(Requests.body(r).from(), "from");
        return mds.submit(new MdsCommand.Rename(from, Requests.path(r.to(), "to"),
                SessionTable.LEASES_BY_LEADER), EntryInfo.class);
    }

    @DeleteMapping("/volumes")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@RequestParam String path) {
        return mds.submit(new MdsCommand.Delete(Requests.path(path, "path"),
                SessionTable.LEASES_BY_LEADER, true), Boolean.class).then();
    }

    /** The segment holding an offset; a cheap read when it exists, one replicated allocation otherwise. */
    @PostMapping("/volumes/segments")
    public Mono<SegmentInfo> segment(@RequestBody SegmentRequest r) {
        Long volumeId = Requests.body(r).volumeId();
        String path = volumeId != null ? null : Requests.path(r.path(), "path");
        return mds.query(new MdsQuery.FindSegment(path, r.offset(), volumeId, r.epoch()), SegmentInfo.class)
                .switchIfEmpty(Mono.defer(() -> mds.submit(
                        new MdsCommand.AllocateSegment(path, r.offset(), volumeId, r.epoch()), SegmentInfo.class)));
    }

    /**
     * The segment holding an offset if it is allocated; 204 No Content otherwise (it reads as zeros). Never
     * allocates. Not a 404: a client must never mistake a missing route or volume for a hole.
     */
    @GetMapping("/volumes/segments/at")
    public Mono<ResponseEntity<SegmentInfo>> segmentAt(@RequestParam(required = false) String path,
                                                       @RequestParam(required = false) Long volumeId,
                                                       @RequestParam long offset,
                                                       @RequestParam(required = false) Long epoch) {
        String named = volumeId != null ? null : Requests.path(path, "path");
        return mds.query(new MdsQuery.FindSegment(named, offset, volumeId, epoch), SegmentInfo.class)
                .map(ResponseEntity::ok)
                .defaultIfEmpty(ResponseEntity.noContent().build());
    }

    /** A page of a volume's segments: at most limit (1000 by default and at most), after the offset after. */
    @GetMapping("/volumes/segments")
    public Mono<List<SegmentInfo>> segments(@RequestParam String path, @RequestParam(required = false) Long after,
                                            @RequestParam(required = false) Integer limit) {
        return mds.query(new MdsQuery.ListSegments(Requests.path(path, "path"), after, Requests.pageLimit(limit)),
                SegmentInfo[].class).map(List::of);
    }
}
