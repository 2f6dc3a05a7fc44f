package io.camber.mds.session;

import static io.camber.common.ByteSizes.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.OpenMode;
import io.camber.mds.namespace.Entry;
import io.camber.mds.namespace.NamespaceCommands;
import io.camber.mds.namespace.NamespaceReader;
import io.camber.mds.raft.Keys;
import io.camber.mds.topology.TestTopologies;
import io.camber.mds.topology.Topology;
import io.camber.server.rocks.RocksStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions and epochs against a real RocksStore, one committed batch per command. */
class SessionTableTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long LEASE = 5_000;
    private static final long MEMORY = 16 * MIB;

    @TempDir
    Path dir;
    private RocksStore store;
    private long index;
    private int uuids;
    private Entry volume;

    @BeforeEach
    void open() {
        store = new RocksStore(dir.resolve("db"), Keys.ALL, MEMORY);
        Topology topology = TestTopologies.planned(2);
        volume = run(t -> new NamespaceCommands(store, t.batch).create("/v", 64 * MIB, null, "test", NOW, topology));
        run(t -> new NamespaceCommands(store, t.batch).create("/other", 64 * MIB, null, "test", NOW, topology));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void everyReadWriteOpenTakesAStrictlyGreaterEpoch() {
        List<Long> epochs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW + i);
            epochs.add(s.epoch());
            assertThat(epochOf("/v")).isEqualTo(s.epoch());
        }

        assertThat(epochs).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(epochOf("/other")).as("other volumes keep their epoch").isZero();
    }

    @Test
    void readOnlyOpenSeesButDoesNotChangeTheEpoch() {
        SessionRecord ro0 = open("/v", OpenMode.READ_ONLY, NOW);
        SessionRecord rw = open("/v", OpenMode.READ_WRITE, NOW);
        SessionRecord ro1 = open("/v", OpenMode.READ_ONLY, NOW);
        SessionRecord ro2 = open("/v", OpenMode.READ_ONLY, NOW);

        assertThat(ro0.epoch()).isZero();
        assertThat(rw.epoch()).isEqualTo(1);
        assertThat(ro1.epoch()).isEqualTo(1);
        assertThat(ro2.epoch()).isEqualTo(1);
        assertThat(epochOf("/v")).isEqualTo(1);
        assertThat(renew(rw.sessionId(), NOW + 1).fenced())
                .as("read-only opens do not fence the writer").isFalse();
    }

    @Test
    void openRecordsWhoWhenAndForHowLong() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);

        assertThat(s).isEqualTo(new SessionRecord(volume.id(), uuid(uuids), OpenMode.READ_WRITE, "client-" + uuids, 1,
                LEASE, NOW + LEASE, false, index));
        assertThat(s.sessionId()).isEqualTo(Long.toHexString(volume.id()) + "-" + uuid(uuids));
        assertThat(new SessionTable(store, null).of(volume.id())).containsExactly(s);
        SessionRecord anonymous = run(t -> t.sessions.open(t.ns, "/v", OpenMode.READ_ONLY, " ", uuid(99), NOW, LEASE));
        assertThat(anonymous.client()).isEqualTo("unknown");
        SessionRecord longName = run(t -> t.sessions.open(t.ns, "/v", OpenMode.READ_ONLY, "c".repeat(500), uuid(98),
                NOW, LEASE));
        assertThat(longName.client()).hasSize(128);
    }

    @Test
    void theSecondReadWriteOpenFencesTheFirst() {
        SessionRecord first = open("/v", OpenMode.READ_WRITE, NOW);
        SessionRecord reader = open("/v", OpenMode.READ_ONLY, NOW);
        SessionRecord second = open("/v", OpenMode.READ_WRITE, NOW + 1);

        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        assertError(() -> renew(first.sessionId(), NOW + 2), ErrorCode.FENCED)
                .hasMessageContaining("session " + first.sessionId() + " was fenced")
                .hasMessageContaining("reopen it to write");
        assertThat(renew(second.sessionId(), NOW + 2))
                .isEqualTo(second.renewedAt(NOW + 2).writtenAt(index));
        assertThat(renew(reader.sessionId(), NOW + 2).fenced()).isFalse();

        SessionTable table = new SessionTable(store, null);
        assertThat(table.of(volume.id())).filteredOn(SessionRecord::fenced).extracting(SessionRecord::uuid)
                .containsExactly(first.uuid());
        assertThat(table.hasActiveWriter(volume.id(), NOW + 2)).isTrue();
    }

    @Test
    void aFencedWriterAloneDoesNotKeepTheVolumeBusy() {
        SessionRecord first = open("/v", OpenMode.READ_WRITE, NOW);
        SessionRecord second = open("/v", OpenMode.READ_WRITE, NOW);
        run(t -> {
            t.sessions.close(second.sessionId());
            return null;
        });

        SessionTable table = new SessionTable(store, null);
        assertThat(table.of(volume.id())).extracting(SessionRecord::uuid).containsExactly(first.uuid());
        assertThat(table.hasActiveWriter(volume.id(), NOW)).isFalse();
    }

    @Test
    void renewExtendsTheLeaseUpToAndIncludingItsLastMillisecond() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);

        SessionRecord renewed = renew(s.sessionId(), NOW + LEASE);
        assertThat(renewed.expiresAtMillis()).isEqualTo(NOW + 2 * LEASE);
        assertThat(renewed.epoch()).isEqualTo(s.epoch());
        assertThat(new SessionTable(store, null).of(volume.id())).containsExactly(renewed);
    }

    @Test
    void renewAfterExpiryIsSessionExpired() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);

        assertError(() -> renew(s.sessionId(), NOW + LEASE + 1), ErrorCode.SESSION_EXPIRED)
                .hasMessage("session " + s.sessionId() + " expired before it was renewed; open the volume again");
        assertError(() -> renew(s.sessionId(), NOW + 2 * LEASE), ErrorCode.SESSION_EXPIRED);
        SessionTable table = new SessionTable(store, null);
        assertThat(table.hasActiveWriter(volume.id(), NOW + LEASE + 1)).isFalse();

        expire(NOW + LEASE + 1);
        assertThat(table.all()).isEmpty();
        assertError(() -> renew(s.sessionId(), NOW + LEASE + 1), ErrorCode.SESSION_EXPIRED)
                .hasMessageContaining("does not exist (closed or expired)");
    }

    @Test
    void aWriterWhoseSessionExpiredGetsItBackWithItsEpochWhileNoOneElseOpenedTheVolume() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);
        expire(NOW + LEASE + 1);
        assertThat(new SessionTable(store, null).all()).isEmpty();

        SessionRecord back = resume(s.sessionId(), OpenMode.READ_WRITE, s.epoch(), NOW + LEASE + 2);
        assertThat(back.sessionId()).isEqualTo(s.sessionId());
        assertThat(back.epoch()).isEqualTo(s.epoch()).isEqualTo(epochOf("/v"));
        assertThat(back.expiresAtMillis()).isEqualTo(NOW + 2 * LEASE + 2);
        assertThat(renew(s.sessionId(), NOW + LEASE + 3).fenced()).isFalse();
        assertThat(new SessionTable(store, null).hasActiveWriter(volume.id(), NOW + LEASE + 3)).isTrue();

        SessionRecord again = resume(s.sessionId(), OpenMode.READ_WRITE, s.epoch(), NOW + LEASE + 4);
        assertThat(again.expiresAtMillis()).as("a live session is only renewed").isEqualTo(NOW + 2 * LEASE + 4);
        assertThat(new SessionTable(store, null).all()).hasSize(1);
    }

    @Test
    void aWriterCannotTakeBackItsSessionOnceAnotherWriterOpenedTheVolume() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);
        expire(NOW + LEASE + 1);
        SessionRecord newer = open("/v", OpenMode.READ_WRITE, NOW + LEASE + 2);

        assertError(() -> resume(s.sessionId(), OpenMode.READ_WRITE, s.epoch(), NOW + LEASE + 3), ErrorCode.FENCED)
                .hasMessageContaining("opened read-write by another client since");
        assertThat(new SessionTable(store, null).all()).extracting(SessionRecord::uuid).containsExactly(newer.uuid());
        SessionRecord reader = resume(s.sessionId(), OpenMode.READ_ONLY, s.epoch(), NOW + LEASE + 3);
        assertThat(reader.epoch()).as("a reader follows the volume's epoch").isEqualTo(newer.epoch());
    }

    @Test
    void resumeChecksItsInput() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);
        assertError(() -> resume("nope", OpenMode.READ_WRITE, 1, NOW), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> resume(s.sessionId(), null, 1, NOW), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> resume("ff-" + uuid(9), OpenMode.READ_WRITE, 1, NOW), ErrorCode.NOT_FOUND)
                .hasMessageContaining("no longer exists");
    }

    @Test
    void sessionsAreListedInPagesThatResumeAfterTheLastIdSeen() {
        List<SessionRecord> opened = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            opened.add(open("/v", OpenMode.READ_ONLY, NOW));
        }
        List<String> ids = opened.stream().map(SessionRecord::sessionId).sorted().toList();
        SessionTable table = new SessionTable(store, null);

        List<SessionRecord> first = table.page(volume.id(), null, 2);
        List<SessionRecord> second = table.page(volume.id(), first.get(1).sessionId(), 2);
        List<SessionRecord> last = table.page(null, second.get(1).sessionId(), 2);
        assertThat(java.util.stream.Stream.of(first, second, last).flatMap(List::stream).map(SessionRecord::sessionId))
                .containsExactlyElementsOf(ids);
        assertThat(table.page(volume.id(), ids.get(4), 2)).isEmpty();
        assertError(() -> table.page(volume.id() + 1, ids.get(0), 2), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("another volume");
    }

    @Test
    void aRefusedLateRenewalDropsTheSessionForGood() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);

        assertError(() -> renew(s.sessionId(), NOW + LEASE + 1), ErrorCode.SESSION_EXPIRED);
        // A renewal stamped earlier (a replica with a slower clock proposed it) must not revive it.
        assertError(() -> renew(s.sessionId(), NOW + 1), ErrorCode.SESSION_EXPIRED)
                .hasMessageContaining("does not exist");
        assertThat(new SessionTable(store, null).all()).isEmpty();
    }

    @Test
    void closeThenRenewIsSessionExpired() {
        SessionRecord s = open("/v", OpenMode.READ_WRITE, NOW);
        SessionRecord kept = open("/v", OpenMode.READ_ONLY, NOW);

        run(t -> {
            t.sessions.close(s.sessionId());
            return null;
        });

        assertError(() -> renew(s.sessionId(), NOW + 1), ErrorCode.SESSION_EXPIRED)
                .hasMessage("session " + s.sessionId() + " does not exist (closed or expired); open the volume again");
        assertError(() -> run(t -> {
            t.sessions.close(s.sessionId());
            return null;
        }), ErrorCode.SESSION_EXPIRED);
        assertThat(new SessionTable(store, null).all()).containsExactly(kept);
        assertThat(epochOf("/v")).as("closing keeps the epoch").isEqualTo(1);
    }

    @Test
    void malformedSessionIdsAreInvalid() {
        for (String id : new String[] {null, "", "nodash", "zz-" + uuid(1), "1-not-a-uuid", "-" + uuid(1)}) {
            assertError(() -> renew(id, NOW), ErrorCode.INVALID_ARGUMENT)
                    .hasMessage("'" + id + "' is not a session id");
        }
    }

    @Test
    void openChecksModeUuidAndPath() {
        assertError(() -> run(t -> t.sessions.open(t.ns, "/v", null, "c", uuid(1), NOW, LEASE)),
                ErrorCode.INVALID_ARGUMENT).hasMessageContaining("mode is missing");
        assertThatThrownBy(() -> run(t -> t.sessions.open(t.ns, "/v", OpenMode.READ_WRITE, "c", "not-a-uuid", NOW,
                LEASE))).isInstanceOf(IllegalArgumentException.class);
        assertError(() -> run(t -> t.sessions.open(t.ns, "/missing", OpenMode.READ_WRITE, "c", uuid(1), NOW, LEASE)),
                ErrorCode.NOT_FOUND);
        run(t -> new NamespaceCommands(store, t.batch).mkdir("/d", null, NOW));
        assertError(() -> run(t -> t.sessions.open(t.ns, "/d", OpenMode.READ_WRITE, "c", uuid(1), NOW, LEASE)),
                ErrorCode.INVALID_ARGUMENT).hasMessage("/d is a directory, not a volume");
        assertThat(epochOf("/v")).isZero();
        assertThat(new SessionTable(store, null).all()).isEmpty();
    }

    @Test
    void expireRemovesOnlyExpiredSessions() {
        SessionRecord early = run(t -> t.sessions.open(t.ns, "/v", OpenMode.READ_WRITE, "a", uuid(1), NOW, 1_000));
        SessionRecord edge = run(t -> t.sessions.open(t.ns, "/other", OpenMode.READ_ONLY, "b", uuid(2), NOW, 2_000));
        SessionRecord late = run(t -> t.sessions.open(t.ns, "/other", OpenMode.READ_WRITE, "c", uuid(3), NOW, 9_000));

        assertThat(expire(NOW + 1_000)).isZero();
        assertThat(expire(NOW + 2_000)).isEqualTo(1);
        SessionTable table = new SessionTable(store, null);
        assertThat(table.all()).containsExactlyInAnyOrder(edge, late).doesNotContain(early);

        assertThat(expire(NOW + 2_001)).isEqualTo(1);
        assertThat(table.all()).containsExactly(late);
        assertThat(expire(NOW + 2_001)).isZero();
        assertThat(epochOf("/v")).as("expiry keeps the epoch").isEqualTo(1);
    }

    @Test
    void epochsSurviveClosingAndReopeningTheStore() {
        open("/v", OpenMode.READ_WRITE, NOW);
        open("/v", OpenMode.READ_WRITE, NOW);
        SessionRecord third = open("/v", OpenMode.READ_WRITE, NOW);
        long applied = index;

        store.close();
        store = new RocksStore(dir.resolve("db"), Keys.ALL, MEMORY);

        assertThat(store.lastApplied()).containsExactly(1, applied);
        assertThat(epochOf("/v")).isEqualTo(3);
        assertThat(new SessionTable(store, null).of(volume.id())).filteredOn(s -> !s.fenced()).containsExactly(third);
        SessionRecord fourth = open("/v", OpenMode.READ_WRITE, NOW + 1);
        assertThat(fourth.epoch()).isEqualTo(4);
        assertError(() -> renew(third.sessionId(), NOW + 2), ErrorCode.FENCED);
    }

    @Test
    void epochsSurviveAllSessionsExpiring() {
        open("/v", OpenMode.READ_WRITE, NOW);
        open("/v", OpenMode.READ_WRITE, NOW);
        assertThat(expire(NOW + LEASE + 1)).isEqualTo(2);

        assertThat(open("/v", OpenMode.READ_WRITE, NOW + LEASE + 2).epoch()).isEqualTo(3);
    }

    @Test
    void theLeaderExpiresOnlyTheVersionItSawOverdue() {
        SessionRecord kept = open("/v", OpenMode.READ_ONLY, NOW);
        SessionRecord dropped = open("/v", OpenMode.READ_WRITE, NOW);
        SessionTable.Overdue staleKept = new SessionTable.Overdue(kept.sessionId(), kept.version());
        // renewed after the leader looked: a new version, so the leader's decision no longer applies to it
        Optional<SessionRecord> renewed = run(t -> t.sessions.renew(kept.sessionId(), NOW - 5 * LEASE, false));
        assertThat(renewed).isPresent();

        Integer n = run(t -> t.sessions.expire(List.of(staleKept,
                new SessionTable.Overdue(dropped.sessionId(), dropped.version()),
                new SessionTable.Overdue("not-a-session", 1))));

        assertThat(n).isEqualTo(1);
        assertThat(new SessionTable(store, null).all()).extracting(SessionRecord::sessionId)
                .containsExactly(kept.sessionId());
    }

    @Test
    void sessionsRenewedOrResumedByLeaderLeasesIgnoreTheProposersClock() {
        SessionRecord rw = open("/v", OpenMode.READ_WRITE, NOW);
        // a proposer whose wall clock runs far ahead neither drops nor refuses the session
        Optional<SessionRecord> renewed = run(t -> t.sessions.renew(rw.sessionId(), NOW + 100 * LEASE, false));
        assertThat(renewed).isPresent();
        SessionRecord resumed = run(t -> t.sessions.resume(t.ns, rw.sessionId(), OpenMode.READ_WRITE, rw.epoch(),
                "c", NOW + 200 * LEASE, LEASE, false));
        assertThat(resumed.epoch()).isEqualTo(rw.epoch());
        assertThat(new SessionTable(store, null).hasActiveWriter(volume.id(), SessionTable.LEASES_BY_LEADER)).isTrue();
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** One command's view: its batch, and the namespace and session tables writing to it. */
    private record Tx(RocksStore.Batch batch, NamespaceCommands ns, SessionTable sessions) {
    }

    /** Applies one command in its own batch and commits it with the next index, as the state machine does. */
    private <T> T run(Function<Tx, T> command) {
        RocksStore.Batch batch = store.batch();
        T result;
        try {
            result = command.apply(new Tx(batch, new NamespaceCommands(store, batch), new SessionTable(store, batch, index + 1)));
        } catch (RuntimeException e) {
            store.commit(store.batch(), 1, ++index);
            throw e;
        }
        store.commit(batch, 1, ++index);
        return result;
    }

    @Test
    void sharedSessionsOfADataVolumeNeverFenceOneAnotherAndOtherModesAreRefusedThere() {
        Topology topology = TestTopologies.planned(2);
        run(t -> t.ns.createDataVolume(9, topology.logicalPoolOrOnly(null), NOW, topology));
        String data = io.camber.common.FsDataVolumes.path(9);
        long before = epochOf(data);
        SessionRecord a = open(data, OpenMode.SHARED, NOW);
        SessionRecord b = open(data, OpenMode.SHARED, NOW);
        assertThat(a.epoch()).isEqualTo(before);
        assertThat(b.epoch()).isEqualTo(before);
        assertThat(epochOf(data)).as("a shared open takes no epoch").isEqualTo(before);
        assertThat(renew(a.sessionId(), NOW + 1).fenced()).isFalse();
        assertThat(renew(b.sessionId(), NOW + 1).fenced()).isFalse();
        boolean writer = run(t -> t.sessions.hasActiveWriter(a.volumeId(), NOW));
        assertThat(writer).as("no writer to block a delete").isFalse();

        assertError(() -> open(data, OpenMode.READ_WRITE, NOW), ErrorCode.FORBIDDEN);
        assertError(() -> open(data, OpenMode.READ_ONLY, NOW), ErrorCode.FORBIDDEN);
        assertError(() -> open("/v", OpenMode.SHARED, NOW), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> resume(Long.toHexString(a.volumeId()) + "-" + uuid(500), OpenMode.READ_WRITE, before,
                NOW), ErrorCode.FORBIDDEN);
        assertThat(resume(Long.toHexString(a.volumeId()) + "-" + uuid(501), OpenMode.SHARED, before, NOW).epoch())
                .isEqualTo(before);
        assertThat(epochOf(data)).isEqualTo(before);
    }

    private SessionRecord open(String path, OpenMode mode, long now) {
        int n = ++uuids;
        return run(t -> t.sessions.open(t.ns, path, mode, "client-" + n, uuid(n), now, LEASE));
    }

    private SessionRecord renew(String sessionId, long now) {
        return run(t -> t.sessions.renewOrDrop(sessionId, now)).orElseThrow(() -> SessionTable.expired(sessionId));
    }

    private SessionRecord resume(String sessionId, OpenMode mode, long epoch, long now) {
        return run(t -> t.sessions.resume(t.ns, sessionId, mode, epoch, "c", now, LEASE));
    }

    private int expire(long now) {
        return run(t -> t.sessions.expire(now));
    }

    private long epochOf(String path) {
        return new NamespaceReader(store).resolve(path).epoch();
    }

    private static String uuid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertError(ThrowingCallable call, ErrorCode code) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
