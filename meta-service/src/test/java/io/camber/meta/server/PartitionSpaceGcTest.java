package io.camber.meta.server;

import static io.camber.meta.partition.PartitionCommands.ROOT_INO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.gc.PartitionSpaceGc;
import io.camber.meta.gc.SpaceTrimmer;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.protocol.SetAttrMask;
import io.camber.server.raft.RaftSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One GC pass over a real (one-replica) partition with a trimmer that records what it was asked: space is trimmed
 * while its record still exists and released only afterwards, a failed trim releases nothing, recent orphans wait
 * for their grace, and released space is handed out again.
 */
class PartitionSpaceGcTest {
    private static final long B = DataLayout.BLOCK;
    private static final long HOUR = 3_600_000_000_000L;
    private static final PartitionId P = new PartitionId(9, 0);

    @TempDir
    Path dir;
    PartitionCluster cluster;
    PartitionClient client;
    long time = 1_000;
    long a;
    long b;

    @BeforeEach
    void start() throws Exception {
        cluster = new PartitionCluster(dir, 1, RaftSettings.defaults(), List.of(P));
        client = cluster.client(P);
        ok(new MetaCommand.InitPartition(9, 0, 1, 1000, 0755, 0, 0, time));
        a = create("a");
        b = create("b");
        ok(new MetaCommand.AllocateExtents(a, 0, 3 * B, ++time));
        ok(new MetaCommand.AllocateExtents(b, 0, B, ++time));
        ok(new MetaCommand.SetAttr(a, SetAttrMask.SIZE, 0, 0, 0, 0, 0, 0, 100, ++time));
        ok(new MetaCommand.Unlink(ROOT_INO, "b", ++time));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void cutSpaceIsTrimmedWhileRecordedThenReleasedAndRecentOrphansWait() throws Exception {
        List<Extent> trimmed = new ArrayList<>();
        SpaceTrimmer recording = (fsId, extents) -> {
            assertThat(fsId).isEqualTo(9);
            assertThat(deleted().freed()).as("still recorded while trimmed").isNotEmpty();
            trimmed.addAll(extents);
        };
        long released = new PartitionSpaceGc(client, recording, 100, HOUR).runOnce(time);
        assertThat(released).isEqualTo(2 * B);
        assertThat(trimmed).containsExactly(new Extent(B, B, 2 * B));
        assertThat(deleted().freed()).isEmpty();
        assertThat(deleted().orphans()).as("within its grace").containsExactly(b);
        assertThat(bytesUsed()).isEqualTo(2 * B);
    }

    @Test
    void aFailedTrimReleasesNothing() {
        SpaceTrimmer failing = (fsId, extents) -> {
            throw new IllegalStateException("copyset unavailable");
        };
        assertThatThrownBy(() -> new PartitionSpaceGc(client, failing, 100, 0).runOnce(time))
                .hasMessageContaining("copyset unavailable");
        assertThat(deleted().freed()).hasSize(1);
        assertThat(deleted().orphans()).containsExactly(b);
        assertThat(bytesUsed()).isEqualTo(4 * B);
    }

    @Test
    void orphansPastTheirGraceGoAndTheirSpaceIsHandedOutAgain() throws Exception {
        List<Extent> trimmed = new ArrayList<>();
        long released = new PartitionSpaceGc(client, (fsId, extents) -> trimmed.addAll(extents), 100, 0)
                .runOnce(time + HOUR);
        assertThat(released).isEqualTo(3 * B);
        assertThat(trimmed).containsExactly(new Extent(B, B, 2 * B), new Extent(0, 3 * B, B));
        assertThat(deleted().orphans()).isEmpty();
        assertThat(client.queryAndWait(new MetaQuery.GetAttr(b)).error()).isEqualTo(FsError.ENOENT);
        assertThat(bytesUsed()).isEqualTo(B);

        long c = create("c");
        MetaResult.Allocated reused = (MetaResult.Allocated) ok(new MetaCommand.AllocateExtents(c, 0, 3 * B, ++time));
        assertThat(reused.extents()).containsExactly(new Extent(0, B, 3 * B));
    }

    private long create(String name) {
        return ((MetaResult.Attr) ok(new MetaCommand.MakeNode(ROOT_INO, name, FileType.REGULAR.mode(0644), 0, 0, 0,
                null, ++time))).inode().ino();
    }

    private MetaResult.Deleted deleted() {
        return (MetaResult.Deleted) client.queryAndWait(new MetaQuery.ListDeleted(100)).result();
    }

    private long bytesUsed() {
        return ((MetaResult.Stats) client.queryAndWait(new MetaQuery.StatFs()).result()).stats().bytesUsed();
    }

    private MetaResult ok(MetaCommand command) {
        MetaReply reply = client.submitAndWait(command);
        assertThat(reply.error()).as(reply.message()).isEqualTo(FsError.OK);
        return reply.result();
    }
}
