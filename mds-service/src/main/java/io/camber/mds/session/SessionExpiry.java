package io.camber.mds.session;

import io.camber.mds.MdsProperties;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsQuery;
import io.camber.mds.raft.MdsReplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * On the leader only, periodically drops sessions whose lease ran out on the leader's monotonic clock
 * ({@link LeaseWatch}), so their volumes can be renamed or deleted and their writers must resume.
 */
@Component
public class SessionExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionExpiry.class);
    private final LeaseWatch watch = new LeaseWatch();
    private final Disposable ticker;

    public SessionExpiry(MdsReplication mds, MdsProperties props) {
        // Ticks that come while a slow one (the MDS starting, an election) is still running are dropped: without
        // that, interval fails the whole ticker with an overflow and sessions would never expire again.
        this.ticker = Flux.interval(props.expiryInterval())
                .onBackpressureDrop()
                .concatMap(t -> tick(mds), 1)
                .subscribe();
    }

    private Mono<Integer> tick(MdsReplication mds) {
        if (!mds.node().isLeader()) {
            watch.forget();
            return Mono.empty();
        }
        return mds.query(new MdsQuery.StoredSessions(), SessionRecord[].class)
                .map(all -> watch.overdue(List.of(all), System.nanoTime()))
                .filter(overdue -> !overdue.isEmpty())
                .flatMap(overdue -> mds.submit(new MdsCommand.ExpireSessions(0, overdue), Integer.class))
                .doOnNext(n -> {
                    if (n > 0) {
                        LOG.info("event=sessions-expired count={}", n);
                    }
                })
                .onErrorResume(e -> {
                    LOG.warn("event=session-expiry-failed error={}", e.toString());
                    return Mono.empty();
                });
    }

    @Override
    public void close() {
        ticker.dispose();
    }
}
