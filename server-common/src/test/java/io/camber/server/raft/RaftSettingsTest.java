package io.camber.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class RaftSettingsTest {

    private static RaftSettings with(DataSize writeBuffer, DataSize appenderBatch, Map<String, String> extra) {
        RaftSettings d = RaftSettings.defaults();
        return new RaftSettings(d.electionTimeout(), d.snapshotThreshold(), d.segmentSize(), d.segmentCacheSegments(),
                writeBuffer, appenderBatch, d.outstandingAppends(), d.appenderWait(), d.snapshotPiece(), d.snapshotPiecesInFlight(),
                d.retainForFollowers(), d.purgeGap(), d.logMetadata(), d.asyncFlush(), d.messageSizeMax(), extra);
    }

    @Test
    void defaultsTurnOffTheMetadataEntryAndKeepTheLogForFollowers() {
        RaftProperties p = RatisProperties.server(RaftSettings.defaults(), 9999, Path.of("/tmp/raft"));
        assertThat(RaftServerConfigKeys.Log.logMetadataEnabled(p)).isFalse();
        assertThat(RaftServerConfigKeys.Log.purgeUptoSnapshotIndex(p)).isFalse();
        assertThat(RaftServerConfigKeys.Log.asyncFlushEnabled(p)).isFalse();
        assertThat(GrpcConfigKeys.Server.port(p)).isEqualTo(9999);
        assertThat(RaftServerConfigKeys.Rpc.timeoutMax(p).toLong(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(2000);
    }

    @Test
    void passThroughKeysWinOverTypedOnes() {
        RaftSettings s = with(DataSize.ofMegabytes(4), DataSize.ofMegabytes(2),
                Map.of("raft.server.log.log-metadata.enabled", "true", "raft.server.log.queue.element-limit", "77"));
        RaftProperties p = RatisProperties.server(s, 1, Path.of("/tmp/raft"));
        assertThat(RaftServerConfigKeys.Log.logMetadataEnabled(p)).isTrue();
        assertThat(RaftServerConfigKeys.Log.queueElementLimit(p)).isEqualTo(77);
    }

    @Test
    void aWriteBufferThatCannotHoldAnAppendBatchIsRefusedWithTheKeyToFix() {
        assertThatThrownBy(() -> with(DataSize.ofMegabytes(1), DataSize.ofMegabytes(2), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("raft.write-buffer-size").hasMessageContaining("appender-batch");
    }

    @Test
    void passThroughKeysMustBeRatisKeys() {
        assertThatThrownBy(() -> with(DataSize.ofMegabytes(4), DataSize.ofMegabytes(2), Map.of("server.port", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'raft.'");
    }

    @Test
    void aTinyElectionTimeoutIsRefused() {
        RaftSettings d = RaftSettings.defaults();
        assertThatThrownBy(() -> new RaftSettings(Duration.ofMillis(5), d.snapshotThreshold(), d.segmentSize(),
                d.segmentCacheSegments(), d.writeBufferSize(), d.appenderBatch(), d.outstandingAppends(),
                d.appenderWait(), d.snapshotPiece(), d.snapshotPiecesInFlight(), d.retainForFollowers(), d.purgeGap(),
                d.logMetadata(), d.asyncFlush(), d.messageSizeMax(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("election-timeout");
    }
}
