package io.camber.mds.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.api.ChunkServerState;
import io.camber.common.api.FsInfo;
import io.camber.common.api.MetaServerHeartbeat;
import io.camber.common.api.MetaServerHeartbeat.PartitionReport;
import io.camber.common.api.PartitionInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaHeartbeatsTest {
    private final MutableClock clock = new MutableClock();
    private final MetaHeartbeats heartbeats = new MetaHeartbeats(clock, Duration.ofSeconds(30), Duration.ofMinutes(2),
            new SimpleMeterRegistry());

    private static final PartitionInfo P0 = new PartitionInfo(5, 0, 1, 101, List.of(1L, 2L, 3L),
            List.of("m1", "m2", "m3"), List.of("h:1", "h:2", "h:3"), null, -1, -1);
    private static final PartitionInfo P1 = new PartitionInfo(5, 1, 101, 201, List.of(1L, 2L, 3L),
            List.of("m1", "m2", "m3"), List.of("h:1", "h:2", "h:3"), null, -1, -1);

    private static PartitionReport report(int partition, boolean leader, long term, long applied, long inodes) {
        return new PartitionReport(5, partition, leader, term, applied, true, 1 + inodes, 101, inodes);
    }

    @Test
    void theLeaderOfTheNewestTermAndTheUsageOfTheMostAdvancedReplicaWin() {
        heartbeats.record(new MetaServerHeartbeat(1, List.of(report(0, true, 3, 40, 7))));  // deposed, not told yet
        heartbeats.record(new MetaServerHeartbeat(2, List.of(report(0, true, 4, 42, 9))));
        heartbeats.record(new MetaServerHeartbeat(3, List.of(report(0, false, 4, 41, 8))));

        PartitionInfo p = heartbeats.overlay(P0);

        assertThat(p.leader()).isEqualTo("m2");
        assertThat(p.inodesUsed()).isEqualTo(9);
        assertThat(p.nextIno()).isEqualTo(10);
    }

    @Test
    void aFileSystemsInodesAreKnownOnlyOnceEveryPartitionReported() {
        heartbeats.record(new MetaServerHeartbeat(1, List.of(report(0, true, 1, 5, 3))));
        FsInfo fs = new FsInfo(5, "demo", "pool1", 0, -1, List.of(P0, P1), "/.fs/5", -1, -1);

        assertThat(heartbeats.overlay(fs).inodesUsed()).isEqualTo(-1);
        assertThat(heartbeats.overlay(fs).partitions().get(1).leader()).isNull();

        heartbeats.record(new MetaServerHeartbeat(2, List.of(report(1, true, 1, 5, 4))));
        assertThat(heartbeats.overlay(fs).inodesUsed()).isEqualTo(7);
    }

    @Test
    void reportsOfASilentMetaServerAreIgnoredAndItTurnsUnstableThenOffline() {
        heartbeats.record(new MetaServerHeartbeat(1, List.of(report(0, true, 1, 5, 3))));
        assertThat(heartbeats.stateOf(1)).isEqualTo(ChunkServerState.ONLINE);
        assertThat(heartbeats.stateOf(9)).isEqualTo(ChunkServerState.REGISTERED);

        clock.advance(Duration.ofSeconds(31));
        assertThat(heartbeats.stateOf(1)).isEqualTo(ChunkServerState.UNSTABLE);
        assertThat(heartbeats.overlay(P0).leader()).as("a stale report names no leader").isNull();
        assertThat(heartbeats.offline()).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        assertThat(heartbeats.stateOf(1)).isEqualTo(ChunkServerState.OFFLINE);
        assertThat(heartbeats.offline()).containsExactly(1L);
    }

    @Test
    void anUninitializedReplicaReportsNoUsage() {
        heartbeats.record(new MetaServerHeartbeat(1, List.of(new PartitionReport(5, 0, true, 1, 1, false, 0, 0, 0))));

        PartitionInfo p = heartbeats.overlay(P0);

        assertThat(p.leader()).isEqualTo("m1");
        assertThat(p.inodesUsed()).isEqualTo(-1);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
