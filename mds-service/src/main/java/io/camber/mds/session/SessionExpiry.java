package io.camber.mds.session;

import io.camber.mds.MdsProperties;
import io.camber.mds.raft.MdsCommand;
import io.camber.mds.raft.MdsReplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;

/** On the leader only, periodically drops sessions whose lease ran out, so their volumes can be deleted. */
@Component
public class SessionExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionExpiry.class);
    private final Disposable ticker;

    public SessionExpiry(MdsReplication mds, MdsProperties props, Clock clock) {
        this.ticker = Flux.interval(props.expiryInterval())
                .filter(t -> mds.node().isLeader())
                .concatMap(t -> mds.submit(new MdsCommand.ExpireSessions(clock.millis()), Integer.class)
                        .doOnNext(n -> {
                            if (n > 0) {
                                LOG.info("event=sessions-expired count={}", n);
                            }
                        })
                        .onErrorResume(e -> Mono.empty()))
                .subscribe();
    }

    @Override
    public void close() {
        ticker.dispose();
    }
}
