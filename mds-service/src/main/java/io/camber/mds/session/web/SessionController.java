package io.camber.mds.session.web;

import io.camber.common.CamberException;
import io.camber.common.api.EpochInfo;
import io.camber.common.api.OpenRequest;
import io.camber.common.api.ResumeRequest;
import io.camber.common.api.SessionInfo;
import io.camber.mds.MdsProperties;
import io.camber.mds.auth.DataTokens;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import io.camber.mds.web.Requests;
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
import java.util.UUID;

/** Where sessions enter: open (taking an epoch), renew, close; and the epoch lookups chunk servers make. */
@RestController
@RequestMapping("/api/v1")
public class SessionController {
    private final MdsReplication mds;
    private final Clock clock;
    private final long leaseMillis;
    private final DataTokens tokens;

    public SessionController(MdsReplication mds, Clock clock, MdsProperties props, DataTokens tokens) {
        this.mds = mds;
        this.tokens = tokens;
        this.clock = clock;
        this.leaseMillis = props.sessionLease().toMillis();
    }

    @PostMapping("/sessions")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<SessionInfo> open(@RequestBody OpenRequest r) {
        String path = Requests.path(Requests.body(r).path(), "path");
        if (r.mode() == null) {
            throw CamberException.invalid("mode is missing: READ_WRITE, READ_ONLY or SHARED (file systems' data volumes)");
        }
        return mds.submit(new MdsCommand.OpenSession(path, r.mode(), r.client(), UUID.randomUUID().toString(),
                clock.millis(), leaseMillis), SessionInfo.class).map(tokens::attach);
    }

    @PostMapping("/sessions/{id}/renew")
    public Mono<SessionInfo> renew(@PathVariable String id) {
        return mds.submit(new MdsCommand.RenewSession(id, clock.millis(), true), SessionInfo.class).map(tokens::attach);
    }

    /** Takes back an expired session with its epoch while no other writer opened the volume (else FENCED). */
    @PostMapping("/sessions/{id}/resume")
    public Mono<SessionInfo> resume(@PathVariable String id, @RequestBody ResumeRequest r) {
        Requests.body(r);
        return mds.submit(new MdsCommand.ResumeSession(id, r.mode(), r.epoch(), r.client(), clock.millis(),
                leaseMillis, true), SessionInfo.class).map(tokens::attach);
    }

    @DeleteMapping("/sessions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> close(@PathVariable String id) {
        return mds.submit(new MdsCommand.CloseSession(id), Boolean.class).then();
    }

    /** A page of sessions (of one volume or all): at most limit (1000 by default and at most), after a session id. */
    @GetMapping("/sessions")
    public Mono<List<SessionInfo>> list(@RequestParam(required = false) String path,
                                        @RequestParam(required = false) String after,
                                        @RequestParam(required = false) Integer limit) {
        return mds.query(new MdsQuery.ListSessions(path == null ? null : Requests.path(path, "path"), after,
                Requests.pageLimit(limit)), SessionInfo[].class).map(List::of);
    }

    @GetMapping("/epochs/{volumeId}")
    public Mono<EpochInfo> epoch(@PathVariable long volumeId) {
        return mds.query(new MdsQuery.GetEpoch(volumeId), EpochInfo.class);
    }
}
