package io.camber.mds.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.ByteSizes;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.MetaServerRegistration;
import io.camber.mds.gc.GarbageTable;
import io.camber.mds.namespace.Entry;
import io.camber.mds.namespace.NamespaceCommands;
import io.camber.mds.namespace.NamespaceDataVolumes;
import io.camber.mds.namespace.NamespaceReader;
import io.camber.mds.raft.Keys;
import io.camber.mds.session.SessionTable;
import io.camber.mds.topology.TestTopologies;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.TopologyPlanner;
import io.camber.server.rocks.RocksStore;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-system commands against a real RocksStore, one committed batch per command as the state machine does. */
class FsCommandsTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long M = PartitionPlacer.DEFAULT_INODES_PER_PARTITION;

    @TempDir
    Path dir;
    private RocksStore store;
    private Topology topology;
    private long index;

    @BeforeEach
    void open() {
        store = new RocksStore(dir.resolve("db"), Keys.ALL, 16 * ByteSizes.MIB);
        topology = TestTopologies.planned(3);
        for (int z = 1; z <= 3; z++) {
            topology = TopologyPlanner.registerMetaServer(topology, new MetaServerRegistration("pool1", "zone" + z,
                    "server-" + z, "127.0.0.1", 8310 + z, 8300 + z, "meta" + z)).next();
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createStoresTheFileSystemWithItsPartitionsOnTheThreeMetaServers() {
        FsCommands.Result created = run(fs -> fs.create("demo", null, 2, M, NOW, topology, null));

        FsStore stored = new FsStore(store);
        assertThat(stored.byName("demo")).contains(created.fs());
        assertThat(created.fs().logicalPoolId()).isEqualTo(topology.logicalPool("pool1").orElseThrow().id());
        assertThat(stored.partitions(created.fs().id())).isEqualTo(created.partitions()).hasSize(2);
        List<Long> metaIds = topology.metaServers().stream().map(Topology.MetaServer::id).toList();
        assertThat(created.partitions()).allSatisfy(p ->
                assertThat(p.members()).containsExactlyInAnyOrderElementsOf(metaIds));
        assertThat(created.partitions().get(0).start()).isEqualTo(PartitionPlacer.ROOT_INO);
    }

    @Test
    void idsAreNeverReusedAndNamesAreUnique() {
        long first = run(fs -> fs.create("a", "pool1", 1, M, NOW, topology, null)).fs().id();
        assertError(() -> run(fs -> fs.create("a", null, 1, M, NOW, topology, null)), ErrorCode.ALREADY_EXISTS);
        run(fs -> fs.delete("a", false, 1L));
        long second = run(fs -> fs.create("a", null, 1, M, NOW, topology, null)).fs().id();

        assertThat(second).isGreaterThan(first);
        assertThat(new FsStore(store).partitions(first)).as("deleted with its file system").isEmpty();
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        assertError(() -> run(fs -> fs.create("a/b", null, 2, M, NOW, topology, null)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> run(fs -> fs.create("a", "nopool", 2, M, NOW, topology, null)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> run(fs -> fs.create("a", null, 0, M, NOW, topology, null)), ErrorCode.INVALID_ARGUMENT);
        Topology noMeta = TestTopologies.planned(3);
        assertError(() -> run(fs -> fs.create("a", null, 2, M, NOW, noMeta, null)), ErrorCode.INVALID_ARGUMENT)
                .satisfies(e -> assertThat(e.getMessage()).contains("meta-services in 3 different zones"));

        assertThat(new FsStore(store).all()).isEmpty();
        assertThat(new FsStore(store).allPartitions()).isEmpty();
        assertError(() -> run(fs -> fs.delete("missing", true, null)), ErrorCode.NOT_FOUND);
    }

    @Test
    void deleteOfANonEmptyOrUnreportedFileSystemNeedsForce() {
        run(fs -> fs.create("full", null, 2, M, NOW, topology, null));

        assertError(() -> run(fs -> fs.delete("full", false, 5L)), ErrorCode.DATA_LOSS_REFUSED)
                .satisfies(e -> assertThat(e.getMessage()).contains("4 files and directories", "--force"));
        assertError(() -> run(fs -> fs.delete("full", false, null)), ErrorCode.UNAVAILABLE)
                .satisfies(e -> assertThat(e.getMessage()).contains("not every partition has reported"));
        assertThat(new FsStore(store).byName("full")).isPresent();

        run(fs -> fs.delete("full", true, 5L));
        assertThat(new FsStore(store).byName("full")).isEmpty();
    }

    @Test
    void anEmptyFileSystemHoldsOnlyItsRootAndGoesWithoutForce() {
        run(fs -> fs.create("empty", null, 2, M, NOW, topology, null));
        run(fs -> fs.delete("empty", false, 1L));
        assertThat(new FsStore(store).all()).isEmpty();
    }

    @Test
    void aFullPartitionAddsOneMorePartitionOnceHoweverManyClientsReportIt() {
        FsCommands.Result created = run(fs -> fs.create("grow", null, 1, M, NOW, topology, null));

        FsCommands.Result grown = run(fs -> fs.addPartition("grow", 0, M, topology, null));
        FsCommands.Result again = run(fs -> fs.addPartition("grow", 0, M, topology, null));

        assertThat(grown.partitions()).hasSize(2);
        assertThat(grown.partitions().get(1).start()).isEqualTo(created.partitions().get(0).end());
        assertThat(again.partitions()).isEqualTo(grown.partitions());
        assertThat(new FsStore(store).partitions(created.fs().id())).isEqualTo(grown.partitions());
        assertError(() -> run(fs -> fs.addPartition("grow", 9, M, topology, null)), ErrorCode.NOT_FOUND);
    }

    @Test
    void metaServersSeenOfflineGetNoReplicaAndWithoutThreeZonesLeftCreateIsRefused() {
        Topology four = TopologyPlanner.registerMetaServer(topology, new MetaServerRegistration("pool1", "zone1",
                "server-1", "127.0.0.1", 8320, 8330, "meta4")).next();
        long spare = four.metaServer("127.0.0.1", 8320).orElseThrow().id();
        long down = four.metaServer("127.0.0.1", 8311).orElseThrow().id();

        FsCommands.Result placed = run(fs -> fs.create("live", null, 4, M, NOW, four, List.of(down)));

        assertThat(placed.partitions()).allSatisfy(p -> assertThat(p.members()).doesNotContain(down).contains(spare));
        long zone2 = four.metaServer("127.0.0.1", 8312).orElseThrow().id();
        assertError(() -> run(fs -> fs.create("dead", null, 1, M, NOW, four, List.of(zone2))),
                ErrorCode.INVALID_ARGUMENT).satisfies(e -> assertThat(e.getMessage()).contains("span 2 zone(s)"));
    }

    @Test
    void aPoolHoldingAFileSystemIsInUse() {
        long pool = topology.logicalPool("pool1").orElseThrow().id();
        assertThat(FsStore.poolInUse(store, pool)).isFalse();
        run(fs -> fs.create("data", null, 1, M, NOW, topology, null));
        assertThat(FsStore.poolInUse(store, pool)).isTrue();
    }

    @Test
    void aFileSystemComesAndGoesWithItsThinDataVolume() {
        FileSystem first = withVolumes(fs -> fs.create("a", null, 1, M, NOW, topology, null)).fs();
        FileSystem second = withVolumes(fs -> fs.create("b", null, 1, M, NOW, topology, null)).fs();
        assertThat(first.dataVolume()).isEqualTo("/.fs/" + first.id());
        assertThat(second.dataVolume()).isEqualTo("/.fs/" + second.id());
        NamespaceReader names = new NamespaceReader(store);
        Entry volume = names.resolve(first.dataVolume());
        assertThat(volume.isVolume()).isTrue();
        assertThat(volume.size()).isEqualTo(NamespaceCommands.MAX_VOLUME_SIZE);
        assertThat(volume.poolId()).isEqualTo(first.logicalPoolId());
        assertThat(volume.owner()).isEqualTo(NamespaceCommands.SYSTEM_OWNER);
        assertThat(new NamespaceCommands(store, store.batch()).isDataVolume(volume)).isTrue();
        assertThat(names.resolve("/.fs").isVolume()).isFalse();

        withVolumes(fs -> fs.delete("a", false, 1L));
        assertError(() -> names.resolve(first.dataVolume()), ErrorCode.NOT_FOUND);
        assertThat(names.resolve(second.dataVolume()).isVolume()).isTrue();
        FileSystem gone = run(fs -> fs.delete("b", false, 1L));
        assertThat(gone.name()).as("replayed without volumes: the volume stays").isEqualTo("b");
        assertThat(names.resolve(second.dataVolume()).isVolume()).isTrue();
    }

    @Test
    void aMountedFileSystemIsDeletedOnlyWithForceAndItsSessionsGoWithIt() {
        FileSystem mounted = withVolumes(fs -> fs.create("m", null, 1, M, NOW, topology, null)).fs();
        RocksStore.Batch open = store.batch();
        new SessionTable(store, open, index + 1).open(new NamespaceCommands(store, open), mounted.dataVolume(),
                io.camber.common.api.OpenMode.SHARED, "host-a:/mnt/m", java.util.UUID.randomUUID().toString(), NOW,
                20_000);
        store.commit(open, 1, ++index);

        assertError(() -> withVolumes(fs -> fs.delete("m", false, 1L, true)), ErrorCode.CONFLICT)
                .satisfies(e -> assertThat(e.getMessage()).contains("is mounted by 1 client [host-a:/mnt/m]",
                        "camber fs rm --force"));
        assertThat(withVolumes(fs -> fs.delete("m", true, 1L, true)).name()).isEqualTo("m");
        assertError(() -> new NamespaceReader(store).resolve(mounted.dataVolume()), ErrorCode.NOT_FOUND);
        assertThat(new SessionTable(store, store.batch()).all()).as("sessions dropped with the volume").isEmpty();
    }

    @Test
    void aDeleteLoggedBeforeTheMountRuleReplaysAsDecidedThen() {
        FileSystem mounted = withVolumes(fs -> fs.create("old", null, 1, M, NOW, topology, null)).fs();
        RocksStore.Batch open = store.batch();
        new SessionTable(store, open, index + 1).open(new NamespaceCommands(store, open), mounted.dataVolume(),
                io.camber.common.api.OpenMode.SHARED, "host-b", java.util.UUID.randomUUID().toString(), NOW, 20_000);
        store.commit(open, 1, ++index);

        assertThat(withVolumes(fs -> fs.delete("old", false, 1L, false)).name()).isEqualTo("old");
    }

    /** As run, with data volumes kept in the namespace as the state machine does for new commands. */
    private <T> T withVolumes(Function<FsCommands, T> command) {
        RocksStore.Batch batch = store.batch();
        NamespaceCommands ns = new NamespaceCommands(store, batch);
        T result = command.apply(new FsCommands(store, batch, new NamespaceDataVolumes(ns,
                new SessionTable(store, batch, index + 1), new GarbageTable(store, batch), topology)));
        store.commit(batch, 1, ++index);
        return result;
    }

    /** Applies one command in its own batch; a refused one commits only the index, as the state machine does. */
    private <T> T run(Function<FsCommands, T> command) {
        RocksStore.Batch batch = store.batch();
        T result;
        try {
            result = command.apply(new FsCommands(store, batch, null));
        } catch (RuntimeException e) {
            store.commit(store.batch(), 1, ++index);
            throw e;
        }
        store.commit(batch, 1, ++index);
        return result;
    }

    private static org.assertj.core.api.ObjectAssert<CamberException> assertError(Runnable call, ErrorCode code) {
        try {
            call.run();
        } catch (CamberException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            return new org.assertj.core.api.ObjectAssert<>(e);
        }
        throw new AssertionError("expected " + code);
    }
}
