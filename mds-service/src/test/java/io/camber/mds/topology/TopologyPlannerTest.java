package io.camber.mds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.ByteSizes;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.ChunkServerRegistration;
import io.camber.common.api.ChunkServerState;
import io.camber.common.api.LogicalPoolType;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import io.camber.common.api.TopologySpec.PhysicalPoolSpec;
import io.camber.common.api.TopologySpec.ServerSpec;
import io.camber.common.api.TopologySpec.ZoneSpec;
import io.camber.mds.raft.Keys;
import io.camber.mds.topology.Topology.ChunkServer;
import io.camber.mds.topology.Topology.Copyset;
import io.camber.mds.topology.Topology.LogicalPool;
import io.camber.server.rocks.RocksStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Plans topologies and commits them to a real RocksStore the way the MDS state machine does. */
class TopologyPlannerTest {
    private static final LongPredicate UNUSED = id -> false;

    @TempDir
    Path dir;
    private RocksStore store;
    private Topology topology = Topology.empty();
    private long index;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** Opened on first use: the pure planning tests need no database. */
    private RocksStore store() {
        if (store == null) {
            store = new RocksStore(dir.resolve("db"), Keys.ALL, 16 * ByteSizes.MIB);
        }
        return store;
    }

    @Test
    void threeZoneSpecAddsEverythingAndPlacesCopysetsInDistinctZones() {
        TopologyPlanner.Plan plan = apply(spec(3, 2, 8));

        assertThat(plan.changes()).hasSize(1 + 3 + 6 + 6 + 1)
                .startsWith("add physical pool pool1", "add zone pool1/zone1", "add server server-1-1 (127.0.0.1)",
                        "add chunk server 127.0.0.1:9201 (/data/cs9201)")
                .endsWith("add logical pool pool1 on pool1 (3 replicas, 16MiB chunks, 1GiB segments, 8 copysets)");
        assertThat(topology.physicalPools()).extracting(Topology.PhysicalPool::name).containsExactly("pool1");
        assertThat(topology.zones()).extracting(Topology.Zone::name).containsExactly("zone1", "zone2", "zone3");
        assertThat(topology.servers()).hasSize(6);
        assertThat(topology.chunkServers()).extracting(ChunkServer::port)
                .containsExactly(9201, 9202, 9203, 9204, 9205, 9206);
        assertThat(topology.chunkServers()).allSatisfy(cs -> {
            assertThat(cs.state()).isEqualTo(ChunkServerState.REGISTERED);
            assertThat(cs.capacityBytes()).isEqualTo(100 * ByteSizes.GIB);
            assertThat(cs.diskPath()).isEqualTo("/data/cs" + cs.port());
        });
        assertThat(allIds(topology)).doesNotHaveDuplicates().allMatch(id -> id > 0 && id < topology.nextId());

        LogicalPool pool = topology.logicalPool("pool1").orElseThrow();
        assertThat(pool).isEqualTo(new LogicalPool(pool.id(), "pool1", topology.physicalPools().get(0).id(),
                LogicalPoolType.REPLICATED, 3, 16 * ByteSizes.MIB, ByteSizes.GIB));
        List<Copyset> copysets = topology.copysetsOf(pool.id());
        assertThat(copysets).extracting(Copyset::id).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertZoneDistinct(copysets);
        // Balanced: 8 copysets x 3 replicas over 6 chunk servers.
        assertThat(topology.copysetCounts()).hasSize(6).containsOnlyKeys(chunkServerIds()).allSatisfy(
                (id, n) -> assertThat(n).isEqualTo(4));

        assertThat(TopologyStore.load(store())).isEqualTo(topology);
    }

    @Test
    void applyingTheSameSpecAgainChangesNothingEvenAfterARestart() {
        apply(spec(3, 2, 8));
        Topology first = topology;

        TopologyPlanner.Plan again = apply(spec(3, 2, 8));
        assertThat(again.changes()).isEmpty();
        assertThat(again.next()).isEqualTo(first);

        store.close();
        store = new RocksStore(dir.resolve("db"), Keys.ALL, 16 * ByteSizes.MIB);
        Topology reloaded = TopologyStore.load(store());
        assertThat(reloaded).isEqualTo(first);
        assertThat(TopologyPlanner.plan(reloaded, spec(3, 2, 8), UNUSED).changes()).isEmpty();
    }

    @Test
    void removingAChunkServerThatHoldsCopysetsIsRefusedNamingIt() {
        apply(spec(3, 2, 8));
        ChunkServer victim = topology.chunkServer("127.0.0.1", 9201).orElseThrow();
        assertThat(topology.copysetCounts()).containsKey(victim.id());

        TopologySpec without = withServers(spec(3, 2, 8), servers -> servers.stream()
                .filter(s -> !s.name().equals("server-1-1")).toList());

        assertError(() -> TopologyPlanner.plan(topology, without, UNUSED), ErrorCode.DATA_LOSS_REFUSED)
                .hasMessageContaining("127.0.0.1:9201 (id " + victim.id() + ")")
                .hasMessageContaining("migrate their copysets first")
                .hasMessageNotContaining("9202");
        assertThat(TopologyStore.load(store()).chunkServer("127.0.0.1", 9201)).contains(victim);
    }

    @Test
    void removingEmptyServersAndTheirZoneIsAllowed() {
        apply(spec(3, 2, 8));
        TopologySpec withZone4 = addZone(spec(3, 2, 8), new ZoneSpec("zone4", List.of(
                new ServerSpec("spare", "10.0.0.4", List.of(new ChunkServerSpec(9301, "/data/spare", "1TiB"))))));
        TopologyPlanner.Plan grown = apply(withZone4);
        assertThat(grown.changes()).containsExactly("add zone pool1/zone4", "add server spare (10.0.0.4)",
                "add chunk server 10.0.0.4:9301 (/data/spare)");
        ChunkServer spare = topology.chunkServer("10.0.0.4", 9301).orElseThrow();
        assertThat(spare.capacityBytes()).isEqualTo(ByteSizes.TIB);
        assertThat(topology.copysetCounts()).doesNotContainKey(spare.id());
        Topology before = topology;

        TopologyPlanner.Plan shrunk = apply(spec(3, 2, 8));

        assertThat(shrunk.changes()).containsExactly("remove chunk server 10.0.0.4:9301", "remove server spare",
                "remove zone zone4");
        assertThat(topology.chunkServers()).hasSize(6).doesNotContain(spare);
        assertThat(topology.chunkServers()).isEqualTo(before.chunkServers().subList(0, 6));
        assertThat(topology.copysets()).isEqualTo(before.copysets());
        assertThat(TopologyStore.load(store())).isEqualTo(topology);
    }

    @Test
    void growingCopysetsAddsOnlyNewOnesAndKeepsTheOld() {
        apply(spec(3, 2, 8));
        long poolId = topology.logicalPool("pool1").orElseThrow().id();
        List<Copyset> old = topology.copysetsOf(poolId);

        TopologyPlanner.Plan plan = apply(spec(3, 2, 12));

        assertThat(plan.changes()).containsExactly("grow logical pool pool1 from 8 to 12 copysets");
        List<Copyset> now = topology.copysetsOf(poolId);
        assertThat(now).hasSize(12).startsWith(old.toArray(Copyset[]::new));
        assertThat(now.subList(8, 12)).extracting(Copyset::id).containsExactly(9, 10, 11, 12);
        assertZoneDistinct(now);
        assertThat(TopologyStore.load(store()).copysetsOf(poolId)).isEqualTo(now);
    }

    @Test
    void shrinkingCopysetsIsRefusedAsDataLoss() {
        apply(spec(3, 2, 8));

        assertError(() -> TopologyPlanner.plan(topology, spec(3, 2, 4), UNUSED), ErrorCode.DATA_LOSS_REFUSED)
                .hasMessageContaining("logical pool 'pool1' has 8 copysets; shrinking to 4 would drop data")
                .hasMessageContaining("Keep copysets: 8");
    }

    @Test
    void changingChunkSizeSegmentSizeOrReplicasIsRefused() {
        apply(spec(3, 2, 8));

        assertError(() -> TopologyPlanner.plan(topology, withPool(spec(3, 2, 8), "pool1", null, 3, 8, "4MiB", "1GiB"),
                UNUSED), ErrorCode.CONFLICT).hasMessageContaining("logical pool 'pool1' exists with another chunk size")
                .hasMessageContaining("create a new pool");
        assertError(() -> TopologyPlanner.plan(topology, withPool(spec(3, 2, 8), "pool1", null, 3, 8, "16MiB", "2GiB"),
                UNUSED), ErrorCode.CONFLICT).hasMessageContaining("another segment size");
        assertError(() -> TopologyPlanner.plan(topology, withPool(spec(3, 2, 8), "pool1", null, 2, 8, "4MiB", "1GiB"),
                UNUSED), ErrorCode.CONFLICT).hasMessageContaining("another replicas, chunk size");
    }

    @Test
    void unchangedSizesWrittenDifferentlyAreNotAChange() {
        apply(spec(3, 2, 8));

        TopologySpec sameInOtherUnits = withPool(spec(3, 2, 8), "pool1", LogicalPoolType.REPLICATED, 3, 8,
                "16777216", "1024MiB");
        assertThat(TopologyPlanner.plan(topology, sameInOtherUnits, UNUSED).changes()).isEmpty();
        TopologySpec unset = withPool(spec(3, 2, 8), "pool1", null, null, null, null, null);
        assertThat(TopologyPlanner.plan(topology, unset, UNUSED).changes()).isEmpty();
    }

    @Test
    void logicalPoolRemovalIsRefusedWhileInUseAndDropsItsCopysetsOtherwise() {
        apply(spec(3, 2, 8));
        long poolId = topology.logicalPool("pool1").orElseThrow().id();
        TopologySpec noPools = new TopologySpec(spec(3, 2, 8).physicalPools(), List.of());
        List<Long> asked = new ArrayList<>();

        assertError(() -> TopologyPlanner.plan(topology, noPools, id -> asked.add(id)), ErrorCode.DATA_LOSS_REFUSED)
                .hasMessageContaining("refusing to remove logical pool 'pool1'")
                .hasMessageContaining("delete them first");
        assertThat(asked).containsExactly(poolId);

        TopologyPlanner.Plan plan = apply(noPools, UNUSED);
        assertThat(plan.changes()).containsExactly("remove logical pool pool1");
        assertThat(topology.logicalPools()).isEmpty();
        assertThat(topology.copysets()).isEmpty();
        Topology loaded = TopologyStore.load(store());
        assertThat(loaded.copysets()).isEmpty();
        assertThat(loaded.chunkServers()).hasSize(6);
    }

    @Test
    void chunkServersFreedByRemovingTheirPoolCanBeRemovedNext() {
        apply(spec(3, 2, 8));
        apply(new TopologySpec(spec(3, 2, 8).physicalPools(), List.of()), UNUSED);

        TopologyPlanner.Plan plan = apply(new TopologySpec(List.of(), List.of()), UNUSED);

        assertThat(plan.changes()).hasSize(6 + 6 + 3 + 1).contains("remove chunk server 127.0.0.1:9206",
                "remove server server-3-2", "remove zone zone3").endsWith("remove physical pool pool1");
        assertThat(TopologyStore.load(store())).isEqualTo(topology);
        assertThat(topology.chunkServers()).isEmpty();
        assertThat(topology.physicalPools()).isEmpty();
    }

    static Stream<Arguments> badSpecs() {
        TopologySpec good = spec(3, 1, 2);
        return Stream.of(
                Arguments.of("no spec", null, "topology has no physicalPools"),
                Arguments.of("no pools list", new TopologySpec(null, List.of()), "topology has no physicalPools"),
                Arguments.of("blank pool", new TopologySpec(List.of(new PhysicalPoolSpec(" ", List.of())), List.of()),
                        "physical pool name is missing"),
                Arguments.of("pool twice", new TopologySpec(List.of(new PhysicalPoolSpec("p", List.of()),
                        new PhysicalPoolSpec("p", List.of())), List.of()), "physical pool 'p' is declared twice"),
                Arguments.of("zone control char", zone(new ZoneSpec("z\u0000one", List.of())),
                        "zone name 'z?one' is longer than 255 characters or holds control characters"),
                Arguments.of("zone too long", zone(new ZoneSpec("z".repeat(256), List.of())),
                        "zone name '" + "z".repeat(256) + "' is longer than 255"),
                Arguments.of("zone twice", new TopologySpec(List.of(new PhysicalPoolSpec("p", List.of(
                        new ZoneSpec("z", List.of()), new ZoneSpec("z", List.of())))), List.of()),
                        "zone 'z' is declared twice in pool p"),
                Arguments.of("server without name", zone(new ZoneSpec("z", List.of(new ServerSpec(null, "h", List.of())))),
                        "server name is missing"),
                Arguments.of("server without host", zone(new ZoneSpec("z", List.of(new ServerSpec("s", "", List.of())))),
                        "server host name is missing"),
                Arguments.of("server twice", zone(new ZoneSpec("z", List.of(new ServerSpec("s", "h", List.of()),
                        new ServerSpec("s", "h", List.of())))), "server 's' is declared twice"),
                Arguments.of("port 0", chunkServer(0, "/d", null), "chunk server port 0 on s is not a TCP port"),
                Arguments.of("port -1", chunkServer(-1, "/d", null), "port -1 on s is not a TCP port"),
                Arguments.of("port 65536", chunkServer(65536, "/d", null), "port 65536 on s is not a TCP port"),
                Arguments.of("no disk", chunkServer(9201, null, null), "chunk server disk name is missing"),
                Arguments.of("zero capacity", chunkServer(9201, "/d", "0"), "capacity must be positive"),
                Arguments.of("negative capacity", chunkServer(9201, "/d", "-1GiB"), "size '-1GiB' is not a size"),
                Arguments.of("garbage capacity", chunkServer(9201, "/d", "lots"), "size 'lots' is not a size"),
                Arguments.of("overflowing capacity", chunkServer(9201, "/d", "9000PiB"), "size '9000PiB' is too large"),
                Arguments.of("unknown physical pool", new TopologySpec(good.physicalPools(),
                        List.of(new LogicalPoolSpec("lp", "nope", null, 3, 2, null, null))),
                        "logical pool 'lp' names physical pool 'nope', which is not declared"),
                Arguments.of("logical pool twice", new TopologySpec(good.physicalPools(), List.of(
                        new LogicalPoolSpec("lp", "pool1", null, 3, 1, null, null),
                        new LogicalPoolSpec("lp", "pool1", null, 3, 1, null, null))), "logical pool 'lp' is declared twice"),
                Arguments.of("blank logical pool", withPool(good, "", null, 3, 2, null, null), "logical pool name is missing"),
                Arguments.of("replicas 0", withPool(good, "lp", null, 0, 2, null, null), "replicas must be 1..7, not 0"),
                Arguments.of("replicas 8", withPool(good, "lp", null, 8, 2, null, null), "replicas must be 1..7, not 8"),
                Arguments.of("copysets 0", withPool(good, "lp", null, 3, 0, null, null), "copysets must be at least 1"),
                Arguments.of("chunk not power of two", withPool(good, "lp", null, 3, 2, "3MiB", null),
                        "chunk size 3MiB must be a power of two between 64KiB and 4GiB"),
                Arguments.of("chunk too small", withPool(good, "lp", null, 3, 2, "32KiB", null), "chunk size 32KiB"),
                Arguments.of("chunk too large", withPool(good, "lp", null, 3, 2, "8GiB", "8GiB"), "chunk size 8GiB"),
                Arguments.of("segment smaller than chunk", withPool(good, "lp", null, 3, 2, "16MiB", "8MiB"),
                        "segment size 8MiB must be a multiple of the chunk size"),
                Arguments.of("segment not a multiple", withPool(good, "lp", null, 3, 2, "16MiB", "24MiB"),
                        "segment size 24MiB must be a multiple"),
                Arguments.of("segment of too many chunks", withPool(good, "lp", null, 3, 2, "64KiB", "512MiB"),
                        "with at most 4096 chunks"),
                Arguments.of("garbage chunk size", withPool(good, "lp", null, 3, 2, "big", null), "size 'big' is not a size"),
                Arguments.of("fewer zones than replicas", withPool(good, "lp", null, 4, 2, null, null), "4 different zones"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecsAreInvalidArgumentsWithAHelpfulMessage(String why, TopologySpec spec, String message) {
        assertError(() -> TopologyPlanner.plan(Topology.empty(), spec, UNUSED), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining(message);
    }

    @Test
    void movingAServerToAnotherZoneIsAConflict() {
        apply(spec(3, 1, 2));
        TopologySpec declared = spec(3, 1, 2);
        List<ZoneSpec> zones = new ArrayList<>(declared.physicalPools().get(0).zones());
        zones.set(1, new ZoneSpec("zone2", List.of(new ServerSpec("server-1-1", "127.0.0.1",
                List.of(new ChunkServerSpec(9201, "/data/cs9201", "100GiB"))))));
        zones.set(0, new ZoneSpec("zone1", List.of()));
        TopologySpec spec = new TopologySpec(List.of(new PhysicalPoolSpec("pool1", zones)), declared.logicalPools());

        assertError(() -> TopologyPlanner.plan(topology, spec, UNUSED), ErrorCode.CONFLICT)
                .hasMessageContaining("server 'server-1-1' already sits in another zone");
    }

    @Test
    void changingAServersHostMovesItsChunkServersAndKeepsTheirIds() {
        apply(spec(3, 2, 8));
        ChunkServer before = topology.chunkServer("127.0.0.1", 9201).orElseThrow();
        TopologySpec moved = withServers(spec(3, 2, 8), servers -> servers.stream()
                .map(s -> s.name().equals("server-1-1") ? new ServerSpec(s.name(), "127.0.0.2", s.chunkServers()) : s)
                .toList());

        assertThat(apply(moved).changes()).containsExactly("change host of server server-1-1 to 127.0.0.2");
        ChunkServer after = topology.chunkServer("127.0.0.2", 9201).orElseThrow();
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(topology.chunkServer("127.0.0.1", 9201)).isEmpty();
        assertThat(apply(moved).changes()).isEmpty();
    }

    @Test
    void registeringAKnownServerFromAnotherHostIsAConflict() {
        apply(spec(3, 2, 8));
        assertError(() -> TopologyPlanner.register(topology, new ChunkServerRegistration("pool1", "zone1", "server-1-1",
                "10.9.9.9", 9201, "/data/cs9201", 100 * ByteSizes.GIB, 0)), ErrorCode.CONFLICT)
                .hasMessageContaining("is at host 127.0.0.1, not 10.9.9.9");
    }

    @Test
    void registerOfAKnownHostAndPortKeepsTheId() {
        apply(spec(3, 2, 8));
        ChunkServer known = topology.chunkServer("127.0.0.1", 9203).orElseThrow();

        TopologyPlanner.Plan same = register(new ChunkServerRegistration("pool1", "zone2", "server-2-1", "127.0.0.1",
                9203, "/data/cs9203", 100 * ByteSizes.GIB, 0));
        assertThat(same.changes()).isEmpty();
        assertThat(same.next()).isEqualTo(topology);

        TopologyPlanner.Plan moved = register(new ChunkServerRegistration("pool1", "zone2", "server-2-1", "127.0.0.1",
                9203, "/mnt/new-disk", 200 * ByteSizes.GIB, 0));
        assertThat(moved.changes()).containsExactly("update chunk server 127.0.0.1:9203 (/mnt/new-disk, 200GiB)");
        assertThat(topology.chunkServer("127.0.0.1", 9203)).contains(new ChunkServer(known.id(), known.serverId(),
                "127.0.0.1", 9203, 0, "/mnt/new-disk", 200 * ByteSizes.GIB, known.state()));
        assertThat(topology.nextId()).isEqualTo(same.next().nextId());
        assertThat(topology.copysets()).isEqualTo(same.next().copysets());
        assertThat(TopologyStore.load(store())).isEqualTo(topology);
    }

    private static ChunkServerRegistration withDisk(int port, String diskId, Long knownId) {
        return new ChunkServerRegistration("pool1", "zone2", "server-2-1", "127.0.0.1", port, "/data/cs" + port,
                100 * ByteSizes.GIB, port + 500, diskId, knownId);
    }

    @Test
    void aKnownDiskKeepsItsIdAndAnOlderRecordAdoptsItsDiskIdentity() {
        apply(spec(3, 2, 8));
        ChunkServer known = topology.chunkServer("127.0.0.1", 9203).orElseThrow();

        register(withDisk(9203, "disk-a", null)); // first registration: declared by the file, never registered
        assertThat(topology.chunkServer("127.0.0.1", 9203).orElseThrow().diskId()).isEqualTo("disk-a");
        assertThat(topology.chunkServer("127.0.0.1", 9203).orElseThrow().id()).isEqualTo(known.id());

        TopologyPlanner.Plan again = register(withDisk(9203, "disk-a", known.id()));
        assertThat(again.changes()).isEmpty();
    }

    @Test
    void aWipedDiskRetiresItsPredecessorAndJoinsAsANewChunkServerThatTakesNoOldCopysets() {
        apply(spec(3, 2, 8));
        ChunkServer old = topology.chunkServer("127.0.0.1", 9203).orElseThrow();
        register(withDisk(9203, "disk-a", null));
        List<Topology.Copyset> copysetsBefore = topology.copysets().values().iterator().next();

        TopologyPlanner.Plan wiped = register(withDisk(9203, "disk-b", null));

        ChunkServer fresh = topology.chunkServer("127.0.0.1", 9203).orElseThrow();
        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(fresh.diskId()).isEqualTo("disk-b");
        assertThat(topology.chunkServer(old.id()).orElseThrow().retired()).isTrue();
        assertThat(wiped.changes().get(0)).startsWith("retire chunk server " + old.id() + " at 127.0.0.1:9203");
        assertThat(topology.copysets().values().iterator().next()).as("copysets keep the retired member")
                .isEqualTo(copysetsBefore);
        assertThat(apply(spec(3, 2, 8)).changes()).as("the same file still applies, nothing moves").isEmpty();
        assertThat(TopologyStore.load(store())).isEqualTo(topology);
        assertThat(TopologyViews.copysets(topology, null, old.id())).isNotEmpty().allSatisfy(c -> assertThat(
                c.dataAddresses().get(c.chunkServers().indexOf(old.id())))
                .as("no data address for the retired member: its address is the successor's").isNull());
    }

    @Test
    void aDiskThatClaimsAChunkServerItIsNotIsRefused() {
        apply(spec(3, 2, 8));
        ChunkServer a = topology.chunkServer("127.0.0.1", 9203).orElseThrow();
        register(withDisk(9203, "disk-a", null));

        assertError(() -> TopologyPlanner.register(topology, withDisk(9203, "disk-copy", a.id())), ErrorCode.CONFLICT)
                .hasMessageContaining("carries disk disk-copy, not disk-a");
        assertError(() -> TopologyPlanner.register(topology, withDisk(9203, "disk-x", 999L)), ErrorCode.CONFLICT)
                .hasMessageContaining("which this cluster does not know");
        register(withDisk(9203, "disk-b", null));
        assertError(() -> TopologyPlanner.register(topology, withDisk(9203, "disk-a", a.id())), ErrorCode.CONFLICT)
                .hasMessageContaining("was retired");
    }

    @Test
    void registerRecordsTheDataPortAndATopologyApplyKeepsIt() {
        apply(spec(3, 2, 8));
        TopologyPlanner.Plan plan = register(new ChunkServerRegistration("pool1", "zone2", "server-2-1", "127.0.0.1",
                9203, "/data/cs9203", 100 * ByteSizes.GIB, 9703));
        assertThat(plan.changes()).hasSize(1);
        assertThat(topology.chunkServer("127.0.0.1", 9203).orElseThrow().dataPort()).isEqualTo(9703);

        apply(spec(3, 2, 8));
        assertThat(topology.chunkServer("127.0.0.1", 9203).orElseThrow().dataPort()).isEqualTo(9703);
        assertThat(TopologyViews.copysets(topology, null, topology.chunkServer("127.0.0.1", 9203).orElseThrow().id()))
                .allSatisfy(c -> assertThat(c.dataAddresses()).contains("127.0.0.1:9703"));
        assertError(() -> TopologyPlanner.register(topology, new ChunkServerRegistration("pool1", "zone2",
                "server-2-1", "127.0.0.1", 9203, "/data/cs9203", 100 * ByteSizes.GIB, 70000)),
                ErrorCode.INVALID_ARGUMENT).hasMessageContaining("data port 70000");
    }

    @Test
    void registerOfANewChunkServerCreatesItsZoneAndServerWithFreshIds() {
        apply(spec(3, 2, 8));
        long before = topology.nextId();

        TopologyPlanner.Plan plan = register(new ChunkServerRegistration("pool1", "zone9", "new-host", "10.0.0.9",
                9400, "/data/x", ByteSizes.TIB, 0));

        assertThat(plan.changes()).containsExactly("add zone pool1/zone9", "add server new-host",
                "add chunk server 10.0.0.9:9400 (/data/x)");
        Topology.Zone zone = topology.zone(topology.physicalPools().get(0).id(), "zone9").orElseThrow();
        Topology.Server server = topology.server("new-host").orElseThrow();
        ChunkServer cs = topology.chunkServer("10.0.0.9", 9400).orElseThrow();
        assertThat(List.of(zone.id(), server.id(), cs.id())).containsExactly(before, before + 1, before + 2);
        assertThat(server.zoneId()).isEqualTo(zone.id());
        assertThat(cs.serverId()).isEqualTo(server.id());
        assertThat(cs.state()).isEqualTo(ChunkServerState.REGISTERED);

        TopologyPlanner.Plan again = register(new ChunkServerRegistration("pool1", "zone9", "new-host", "10.0.0.9",
                9400, "/data/x", ByteSizes.TIB, 0));
        assertThat(again.changes()).isEmpty();
        assertThat(topology.chunkServer("10.0.0.9", 9400).orElseThrow().id()).isEqualTo(cs.id());
    }

    @Test
    void registerUnderAnUnknownPhysicalPoolIsNotFound() {
        apply(spec(3, 1, 2));

        assertError(() -> TopologyPlanner.register(topology, new ChunkServerRegistration("nope", "zone1", "s", "h",
                9201, "/d", ByteSizes.GIB, 0)), ErrorCode.NOT_FOUND)
                .hasMessageContaining("physical pool 'nope' does not exist")
                .hasMessageContaining("camber topology apply");
        assertError(() -> TopologyPlanner.register(Topology.empty(), new ChunkServerRegistration("pool1", "zone1", "s",
                "h", 9201, "/d", ByteSizes.GIB, 0)), ErrorCode.NOT_FOUND);
    }

    @Test
    void registerChecksNamesPortsAndCapacity() {
        apply(spec(3, 1, 2));

        assertError(() -> TopologyPlanner.register(topology, new ChunkServerRegistration("pool1", "zone1", "s", " ",
                9201, "/d", ByteSizes.GIB, 0)), ErrorCode.INVALID_ARGUMENT).hasMessageContaining("host name is missing");
        assertError(() -> TopologyPlanner.register(topology, new ChunkServerRegistration("pool1", "zone1", "s", "h",
                70000, "/d", ByteSizes.GIB, 0)), ErrorCode.INVALID_ARGUMENT).hasMessageContaining("port 70000");
        assertError(() -> TopologyPlanner.register(topology, new ChunkServerRegistration("pool1", "zone1", "s", "h",
                9300, "/d", 0, 0)), ErrorCode.INVALID_ARGUMENT).hasMessageContaining("capacity must be positive");
        assertError(() -> TopologyPlanner.register(topology, new ChunkServerRegistration("pool1", "zone2", "server-1-1",
                "127.0.0.1", 9201, "/data/cs9201", 100 * ByteSizes.GIB, 0)), ErrorCode.CONFLICT)
                .hasMessageContaining("server 'server-1-1' is in another zone than 'zone2'");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private TopologyPlanner.Plan apply(TopologySpec spec) {
        return apply(spec, UNUSED);
    }

    /** Plans and commits like MdsStateMachine.changeTopology: one batch per command, with the Raft index. */
    private TopologyPlanner.Plan apply(TopologySpec spec, LongPredicate poolInUse) {
        return commit(TopologyPlanner.plan(topology, spec, poolInUse));
    }

    private TopologyPlanner.Plan register(ChunkServerRegistration reg) {
        return commit(TopologyPlanner.register(topology, reg));
    }

    private TopologyPlanner.Plan commit(TopologyPlanner.Plan plan) {
        RocksStore.Batch batch = store().batch();
        if (!plan.changes().isEmpty()) {
            TopologyStore.save(batch, topology, plan.next());
            batch.afterCommit(() -> topology = plan.next());
        }
        store().commit(batch, 1, ++index);
        assertThat(store().lastApplied()).containsExactly(1, index);
        return plan;
    }

    /** The shape of testkit's Topologies.pool: perZone servers per zone on 127.0.0.1, ports from 9201. */
    static TopologySpec spec(int zones, int perZone, int copysets) {
        List<ZoneSpec> zs = new ArrayList<>();
        int port = 9201;
        for (int z = 1; z <= zones; z++) {
            List<ServerSpec> servers = new ArrayList<>();
            for (int s = 1; s <= perZone; s++) {
                servers.add(new ServerSpec("server-" + z + "-" + s, "127.0.0.1",
                        List.of(new ChunkServerSpec(port, "/data/cs" + port, "100GiB"))));
                port++;
            }
            zs.add(new ZoneSpec("zone" + z, servers));
        }
        return new TopologySpec(List.of(new PhysicalPoolSpec("pool1", zs)),
                List.of(new LogicalPoolSpec("pool1", "pool1", null, 3, copysets, "16MiB", "1GiB")));
    }

    private static TopologySpec withPool(TopologySpec base, String name, LogicalPoolType type, Integer replicas,
                                         Integer copysets, String chunk, String segment) {
        return new TopologySpec(base.physicalPools(),
                List.of(new LogicalPoolSpec(name, "pool1", type, replicas, copysets, chunk, segment)));
    }

    private static TopologySpec withServers(TopologySpec base, UnaryOperator<List<ServerSpec>> edit) {
        List<ZoneSpec> zones = base.physicalPools().get(0).zones().stream()
                .map(z -> new ZoneSpec(z.name(), edit.apply(z.servers()))).toList();
        return new TopologySpec(List.of(new PhysicalPoolSpec("pool1", zones)), base.logicalPools());
    }

    private static TopologySpec addZone(TopologySpec base, ZoneSpec zone) {
        List<ZoneSpec> zones = new ArrayList<>(base.physicalPools().get(0).zones());
        zones.add(zone);
        return new TopologySpec(List.of(new PhysicalPoolSpec("pool1", zones)), base.logicalPools());
    }

    private static TopologySpec zone(ZoneSpec zone) {
        return new TopologySpec(List.of(new PhysicalPoolSpec("p", List.of(zone))), List.of());
    }

    private static TopologySpec chunkServer(int port, String disk, String capacity) {
        return zone(new ZoneSpec("z", List.of(new ServerSpec("s", "h", List.of(new ChunkServerSpec(port, disk, capacity))))));
    }

    private Set<Long> chunkServerIds() {
        Set<Long> ids = new HashSet<>();
        topology.chunkServers().forEach(cs -> ids.add(cs.id()));
        return ids;
    }

    private static List<Long> allIds(Topology t) {
        List<Long> ids = new ArrayList<>();
        t.physicalPools().forEach(p -> ids.add(p.id()));
        t.zones().forEach(z -> ids.add(z.id()));
        t.servers().forEach(s -> ids.add(s.id()));
        t.chunkServers().forEach(c -> ids.add(c.id()));
        t.logicalPools().forEach(p -> ids.add(p.id()));
        return ids;
    }

    private void assertZoneDistinct(List<Copyset> copysets) {
        assertThat(copysets).allSatisfy(c -> {
            assertThat(c.members()).hasSize(3).doesNotHaveDuplicates();
            assertThat(c.members().stream().map(id -> topology.zoneOf(topology.chunkServers().stream()
                    .filter(cs -> cs.id() == id).findFirst().orElseThrow())).distinct()).hasSize(3);
        });
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertError(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
