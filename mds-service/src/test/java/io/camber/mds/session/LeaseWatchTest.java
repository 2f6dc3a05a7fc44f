package io.camber.mds.session;

import io.camber.common.api.OpenMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseWatchTest {
    private static final long LEASE_MS = 1_000;
    private static final long MS = 1_000_000L;

    private static SessionRecord session(String uuid, long version) {
        // expiresAtMillis is deliberately in the distant past: the watch must not look at wall-clock fields
        return new SessionRecord(7, uuid, OpenMode.READ_WRITE, "c", 1, LEASE_MS, 0, false, version);
    }

    @Test
    void aLeaseRunsFromTheFirstLookOnTheLeadersClock() {
        LeaseWatch watch = new LeaseWatch();
        SessionRecord s = session("a", 5);

        assertThat(watch.overdue(List.of(s), 0)).as("first look starts the lease").isEmpty();
        assertThat(watch.overdue(List.of(s), LEASE_MS * MS)).as("exactly one lease later").isEmpty();
        assertThat(watch.overdue(List.of(s), LEASE_MS * MS + 1))
                .containsExactly(new SessionTable.Overdue(s.sessionId(), 5));
    }

    @Test
    void aNewVersionRestartsTheLease() {
        LeaseWatch watch = new LeaseWatch();
        watch.overdue(List.of(session("a", 5)), 0);

        assertThat(watch.overdue(List.of(session("a", 9)), 900 * MS)).isEmpty();
        assertThat(watch.overdue(List.of(session("a", 9)), 1_800 * MS)).as("renewed at 900 ms").isEmpty();
        assertThat(watch.overdue(List.of(session("a", 9)), 1_901 * MS)).hasSize(1);
    }

    @Test
    void aLeaderThatForgetsGrantsEverySessionAFullLease() {
        LeaseWatch watch = new LeaseWatch();
        watch.overdue(List.of(session("a", 5)), 0);
        watch.forget();

        assertThat(watch.overdue(List.of(session("a", 5)), 5 * LEASE_MS * MS)).isEmpty();
        assertThat(watch.overdue(List.of(session("a", 5)), 6 * LEASE_MS * MS + 1)).hasSize(1);
    }

    @Test
    void aSessionThatWentAwayAndCameBackAtTheSameVersionStartsAfresh() {
        LeaseWatch watch = new LeaseWatch();
        watch.overdue(List.of(session("a", 5)), 0);
        watch.overdue(List.of(), 10 * MS);

        assertThat(watch.overdue(List.of(session("a", 5)), 2 * LEASE_MS * MS)).isEmpty();
    }
}
