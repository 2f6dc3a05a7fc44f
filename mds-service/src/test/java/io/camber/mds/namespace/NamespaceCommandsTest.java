package io.camber.mds.namespace;

import static io.camber.common.ByteSizes.MIB;
import static io.camber.common.ByteSizes.TIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.EntryInfo;
import io.camber.common.api.EntryType;
import io.camber.common.api.OpenMode;
import io.camber.common.api.SegmentInfo;
import io.camber.common.api.SegmentInfo.ChunkLocation;
import io.camber.common.api.TopologySpec;
import io.camber.mds.raft.Keys;
import io.camber.mds.session.SessionRecord;
import io.camber.mds.session.SessionTable;
import io.camber.mds.topology.TestTopologies;
import io.camber.mds.topology.Topology;
import io.camber.mds.topology.TopologyPlanner;
import io.camber.server.rocks.RocksStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Namespace and segment commands against a real RocksStore, one committed batch per command. */
class NamespaceCommandsTest {
    private static final long SEGMENT = 64 * MIB;
    private static final long CHUNK = 16 * MIB;
    private static final long NOW = 1_700_000_000_000L;
    private static final long LEASE = 10_000;

    @TempDir
    Path dir;
    private RocksStore store;
    private NamespaceReader reader;
    private Topology topology;
    private long poolId;
    private long index;

    @BeforeEach
    void open() {
        store = new RocksStore(dir.resolve("db"), Keys.ALL, 16 * MIB);
        reader = new NamespaceReader(store);
        topology = TestTopologies.planned(3);
        poolId = topology.logicalPool("pool1").orElseThrow().id();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void mkdirCreateStatAndList() {
        Entry a = run(ns -> ns.mkdir("/a", "alice", NOW));
        Entry v1 = run(ns -> ns.create("/a/v1", 2 * SEGMENT, "pool1", "bob", NOW + 1, topology));
        Entry v0 = run(ns -> ns.create("/a/v0", SEGMENT, null, null, NOW + 2, topology));

        assertThat(a).isEqualTo(new Entry(Entry.ROOT_ID + 1, Entry.ROOT_ID, "a", EntryType.DIRECTORY, "alice", 0, 0, 0,
                0, 0, NOW));
        assertThat(v1).isEqualTo(new Entry(a.id() + 1, a.id(), "v1", EntryType.VOLUME, "bob", 2 * SEGMENT, poolId,
                CHUNK, SEGMENT, 0, NOW + 1));
        assertThat(v0.id()).isEqualTo(v1.id() + 1);
        assertThat(v0.owner()).isEqualTo("admin");
        assertThat(v0.poolId()).as("the only pool is chosen when none is named").isEqualTo(poolId);

        assertThat(reader.resolve("/a/v1")).isEqualTo(v1);
        assertThat(reader.resolve("/")).isEqualTo(Entry.root());
        assertThat(reader.byId(v1.id())).contains(v1);
        assertThat(reader.pathOf(v1)).isEqualTo("/a/v1");
        assertThat(reader.children(Entry.ROOT_ID)).containsExactly(a);
        assertThat(reader.children(a.id())).extracting(Entry::name).containsExactly("v0", "v1");
        assertThat(reader.hasChildren(a.id())).isTrue();
        assertThat(reader.hasChildren(v1.id())).isFalse();
        assertThat(NamespaceReader.info(v1, "/a/v1", topology)).isEqualTo(new EntryInfo(v1.id(), "/a/v1",
                EntryType.VOLUME, "bob", 2 * SEGMENT, "pool1", CHUNK, SEGMENT, 0, NOW + 1));
        assertThat(NamespaceReader.info(a, "/a", topology).pool()).isNull();
        assertThat(NamespaceCommands.volumesInPool(store, poolId)).isEqualTo(2);
    }

    @Test
    void lookupsOfMissingOrThroughVolumesFail() {
        run(ns -> ns.create("/v", SEGMENT, null, null, NOW, topology));

        assertError(() -> reader.resolve("/nope/x"), ErrorCode.NOT_FOUND)
                .hasMessage("no such volume or directory: /nope");
        assertError(() -> reader.resolve("/v/x"), ErrorCode.INVALID_ARGUMENT).hasMessageContaining("/v is a volume");
        assertError(() -> command(ns -> ns.mkdir("/nope/x", null, NOW)), ErrorCode.NOT_FOUND)
                .hasMessageContaining("/nope");
        assertError(() -> command(ns -> ns.mkdir("/v/x", null, NOW)), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("/v is a volume, not a directory");
        assertError(() -> command(ns -> ns.mkdir("relative", null, NOW)), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("not absolute");
    }

    @Test
    void duplicatesAreAlreadyExists() {
        run(ns -> ns.mkdir("/a", null, NOW));
        run(ns -> ns.create("/a/v", SEGMENT, null, null, NOW, topology));

        assertError(() -> command(ns -> ns.mkdir("/a", null, NOW)), ErrorCode.ALREADY_EXISTS)
                .hasMessage("/a already exists");
        assertError(() -> command(ns -> ns.mkdir("/a/v", null, NOW)), ErrorCode.ALREADY_EXISTS)
                .hasMessage("/a/v already exists");
        assertError(() -> command(ns -> ns.create("/a/v", SEGMENT, null, null, NOW, topology)), ErrorCode.ALREADY_EXISTS);
        assertError(() -> command(ns -> ns.create("/a", SEGMENT, null, null, NOW, topology)), ErrorCode.ALREADY_EXISTS);
        assertError(() -> command(ns -> ns.mkdir("/", null, NOW)), ErrorCode.ALREADY_EXISTS);
        assertThat(NamespaceCommands.volumesInPool(store, poolId)).as("failed creates count nothing").isEqualTo(1);
        assertThat(reader.children(reader.resolve("/a").id())).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -SEGMENT, 1, SEGMENT - 1, SEGMENT + 1, 63 * MIB, 3 * SEGMENT / 2,
            1024 * TIB + SEGMENT, Long.MAX_VALUE})
    void sizesThatAreNotPositiveMultiplesOfTheSegmentOrTooLargeAreRefused(long size) {
        assertError(() -> command(ns -> ns.create("/v", size, null, null, NOW, topology)), ErrorCode.INVALID_ARGUMENT)
                .hasMessageMatching("size .* (is not a positive multiple of the segment size 64MiB|is larger than the "
                        + "largest volume, 1PiB).*");
        assertError(() -> reader.resolve("/v"), ErrorCode.NOT_FOUND);
    }

    @Test
    void theLargestVolumeIsAccepted() {
        Entry v = run(ns -> ns.create("/big", NamespaceCommands.MAX_VOLUME_SIZE, null, null, NOW, topology));

        assertThat(v.size()).isEqualTo(1024 * TIB);
        SegmentInfo last = run((ns, b) -> SegmentAllocator.getOrAllocate(store, b, v, v.size() - 1, topology));
        assertThat(last.offset()).isEqualTo(v.size() - SEGMENT);
    }

    @Test
    void poolAndOwnerAreChecked() {
        assertError(() -> command(ns -> ns.create("/v", SEGMENT, "other", null, NOW, topology)),
                ErrorCode.INVALID_ARGUMENT).hasMessageContaining("logical pool 'other' does not exist");
        assertError(() -> command(ns -> ns.create("/v", SEGMENT, null, "o".repeat(65), NOW, topology)),
                ErrorCode.INVALID_ARGUMENT).hasMessageContaining("owner must be at most 64 printable characters");
        assertError(() -> command(ns -> ns.mkdir("/d", "bad\nowner", NOW)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> command(ns -> ns.create("/v", SEGMENT, null, null, NOW, Topology.empty())),
                ErrorCode.INVALID_ARGUMENT).hasMessageContaining("there is no logical pool yet");

        Topology noCopysets = new Topology(topology.nextId(), topology.physicalPools(), topology.zones(),
                topology.servers(), topology.chunkServers(), topology.logicalPools(), Map.of());
        assertError(() -> command(ns -> ns.create("/v", SEGMENT, null, null, NOW, noCopysets)), ErrorCode.CONFLICT)
                .hasMessageContaining("has no copysets yet");
        assertThat(NamespaceCommands.volumesInPool(store, poolId)).isZero();
    }

    @Test
    void renameMovesVolumesAndDirectoriesKeepingTheirIds() {
        Entry a = run(ns -> ns.mkdir("/a", null, NOW));
        run(ns -> ns.mkdir("/b", null, NOW));
        Entry v = run(ns -> ns.create("/a/v", SEGMENT, null, null, NOW, topology));

        Entry moved = rename("/a/v", "/b/w", NOW);
        assertThat(moved).isEqualTo(new Entry(v.id(), reader.resolve("/b").id(), "w", EntryType.VOLUME, v.owner(),
                v.size(), v.poolId(), v.chunkSize(), v.segmentSize(), v.epoch(), v.createdAtMillis()));
        assertThat(reader.resolve("/b/w")).isEqualTo(moved);
        assertThat(reader.byId(v.id())).contains(moved);
        assertError(() -> reader.resolve("/a/v"), ErrorCode.NOT_FOUND);

        Entry c = rename("/b", "/a/c", NOW);
        assertThat(c.parentId()).isEqualTo(a.id());
        assertThat(reader.resolve("/a/c/w").id()).isEqualTo(v.id());
        assertThat(reader.pathOf(reader.byId(v.id()).orElseThrow())).isEqualTo("/a/c/w");
        assertThat(reader.children(Entry.ROOT_ID)).extracting(Entry::name).containsExactly("a");
    }

    @Test
    void renameIntoItsOwnSubtreeOrOntoAnExistingNameIsRefused() {
        run(ns -> ns.mkdir("/a", null, NOW));
        run(ns -> ns.mkdir("/a/b", null, NOW));
        run(ns -> ns.create("/v", SEGMENT, null, null, NOW, topology));

        assertError(() -> rename("/a", "/a/b/c", NOW), ErrorCode.INVALID_ARGUMENT)
                .hasMessage("cannot move /a into itself (/a/b/c)");
        assertError(() -> rename("/a", "/a/x", NOW), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("into itself");
        assertError(() -> rename("/a/b", "/v", NOW), ErrorCode.ALREADY_EXISTS);
        assertError(() -> rename("/a/b", "/a", NOW), ErrorCode.ALREADY_EXISTS);
        assertError(() -> rename("/", "/r", NOW), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("root directory cannot be renamed");
        assertError(() -> rename("/missing", "/m", NOW), ErrorCode.NOT_FOUND);
        assertError(() -> rename("/a", "/v/x", NOW), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("/v is a volume");
        assertThat(reader.resolve("/a/b").parentId()).isEqualTo(reader.resolve("/a").id());
    }

    @Test
    void extendOnlyGrowsByWholeSegments() {
        Entry v = run(ns -> ns.create("/v", SEGMENT, null, null, NOW, topology));

        Entry grown = run(ns -> ns.extend("/v", 3 * SEGMENT));
        assertThat(grown).isEqualTo(v.withSize(3 * SEGMENT));
        assertThat(reader.resolve("/v").size()).isEqualTo(3 * SEGMENT);
        assertThat(reader.byId(v.id()).orElseThrow().size()).isEqualTo(3 * SEGMENT);

        assertError(() -> command(ns -> ns.extend("/v", 3 * SEGMENT)), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("extend only grows a volume");
        assertError(() -> command(ns -> ns.extend("/v", SEGMENT)), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> command(ns -> ns.extend("/v", 3 * SEGMENT + 1)), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("positive multiple of the segment size");
        assertError(() -> command(ns -> ns.extend("/v", 1024 * TIB + SEGMENT)), ErrorCode.INVALID_ARGUMENT)
                .hasMessageContaining("larger than the largest volume");
        run(ns -> ns.mkdir("/d", null, NOW));
        assertError(() -> command(ns -> ns.extend("/d", SEGMENT)), ErrorCode.INVALID_ARGUMENT)
                .hasMessage("/d is a directory, not a volume");
        assertThat(reader.resolve("/v").size()).isEqualTo(3 * SEGMENT);

        SegmentInfo tail = run((ns, b) -> SegmentAllocator.getOrAllocate(store, b, reader.resolve("/v"),
                2 * SEGMENT + 5, topology));
        assertThat(tail.offset()).isEqualTo(2 * SEGMENT);
    }

    @Test
    void deleteRefusesNonEmptyDirectoriesAndTheRoot() {
        run(ns -> ns.mkdir("/a", null, NOW));
        run(ns -> ns.mkdir("/a/b", null, NOW));

        assertError(() -> delete("/a", NOW), ErrorCode.CONFLICT)
                .hasMessage("directory /a is not empty: delete what is in it first");
        assertError(() -> delete("/", NOW), ErrorCode.INVALID_ARGUMENT);
        assertError(() -> delete("/nope", NOW), ErrorCode.NOT_FOUND);

        long b = reader.resolve("/a/b").id();
        delete("/a/b", NOW);
        assertThat(reader.byId(b)).isEmpty();
        delete("/a", NOW);
        assertThat(reader.children(Entry.ROOT_ID)).isEmpty();
        assertError(() -> reader.resolve("/a"), ErrorCode.NOT_FOUND);
    }

    @Test
    void deleteOfAVolumeOpenReadWriteIsBusyUntilTheSessionExpires() {
        Entry v = run(ns -> ns.create("/v", 2 * SEGMENT, null, null, NOW, topology));
        SessionRecord rw = run((ns, b) -> new SessionTable(store, b).open(ns, "/v", OpenMode.READ_WRITE, "c1",
                "00000000-0000-0000-0000-000000000001", NOW, LEASE));
        run((ns, b) -> new SessionTable(store, b).open(ns, "/v", OpenMode.READ_ONLY, "c2",
                "00000000-0000-0000-0000-000000000002", NOW, LEASE));
        run((ns, b) -> SegmentAllocator.getOrAllocate(store, b, ns.volume("/v"), 0, topology));

        assertError(() -> delete("/v", NOW + 1), ErrorCode.VOLUME_BUSY)
                .hasMessageContaining("volume /v is open read-write").hasMessageContaining("close it");
        assertError(() -> delete("/v", rw.expiresAtMillis()), ErrorCode.VOLUME_BUSY);
        assertThat(reader.resolve("/v").id()).isEqualTo(v.id());

        delete("/v", rw.expiresAtMillis() + 1);

        assertError(() -> reader.resolve("/v"), ErrorCode.NOT_FOUND);
        assertThat(reader.byId(v.id())).isEmpty();
        assertThat(new SessionTable(store, null).of(v.id())).as("sessions of a deleted volume").isEmpty();
        assertThat(SegmentAllocator.list(store, v.id())).isEmpty();
        assertThat(NamespaceCommands.volumesInPool(store, poolId)).isZero();
    }

    @Test
    void renameOfAVolumeOpenReadWriteIsBusyUntilTheSessionExpiresAndVolumeIdsOutliveTheirPath() {
        Entry v = run(ns -> ns.create("/v", 2 * SEGMENT, null, null, NOW, topology));
        SessionRecord rw = run((ns, b) -> new SessionTable(store, b).open(ns, "/v", OpenMode.READ_WRITE, "c1",
                "00000000-0000-0000-0000-000000000003", NOW, LEASE));

        assertError(() -> rename("/v", "/w", NOW + 1), ErrorCode.VOLUME_BUSY)
                .hasMessageContaining("volume /v is open read-write").hasMessageContaining("before renaming it");
        assertThat(run(ns -> ns.rename("/v", "/w", null, new SessionTable(store, null))).id())
                .as("an entry logged before the check replays as it did then").isEqualTo(v.id());
        rename("/w", "/v", rw.expiresAtMillis() + 1);

        delete("/v", rw.expiresAtMillis() + 1);
        Entry again = run(ns -> ns.create("/v", SEGMENT, null, null, NOW, topology));
        assertThat(again.id()).isNotEqualTo(v.id());
        assertThat(run(ns -> ns.volumeById(again.id())).id()).isEqualTo(again.id());
        assertError(() -> run(ns -> ns.volumeById(v.id())), ErrorCode.NOT_FOUND)
                .hasMessageContaining("no longer exists").hasMessageContaining("another volume");
    }

    @Test
    void segmentsAreListedInPagesAfterAnOffset() {
        Entry v = run(ns -> ns.create("/paged", 4 * SEGMENT, null, null, NOW, topology));
        for (int i = 3; i >= 0; i--) {
            allocate(v, i * SEGMENT + 5);
        }
        assertThat(SegmentAllocator.list(store, v, null, 3)).extracting(SegmentInfo::offset)
                .containsExactly(0L, SEGMENT, 2 * SEGMENT);
        assertThat(SegmentAllocator.list(store, v, 2 * SEGMENT, 3)).extracting(SegmentInfo::offset)
                .containsExactly(3 * SEGMENT);
        assertThat(SegmentAllocator.list(store, v, 2 * SEGMENT + 17, 3)).extracting(SegmentInfo::offset)
                .as("any offset inside a segment stands for it").containsExactly(3 * SEGMENT);
        assertThat(SegmentAllocator.list(store, v, 3 * SEGMENT, 3)).isEmpty();
    }

    @Test
    void aReadOnlySessionDoesNotBlockDelete() {
        Entry v = run(ns -> ns.create("/v", SEGMENT, null, null, NOW, topology));
        run((ns, b) -> new SessionTable(store, b).open(ns, "/v", OpenMode.READ_ONLY, "reader",
                "00000000-0000-0000-0000-00000000000a", NOW, LEASE));

        delete("/v", NOW);

        assertThat(reader.byId(v.id())).isEmpty();
        assertThat(new SessionTable(store, null).all()).isEmpty();
    }

    @Test
    void poolInUseFollowsVolumeCountAndGuardsPoolRemoval() {
        run(ns -> ns.create("/v1", SEGMENT, null, null, NOW, topology));
        run(ns -> ns.create("/v2", SEGMENT, null, null, NOW, topology));
        TopologySpec noLogicalPools = new TopologySpec(TestTopologies.threeZones(3).physicalPools(), List.of());

        assertThat(NamespaceCommands.volumesInPool(store, poolId)).isEqualTo(2);
        assertError(() -> TopologyPlanner.plan(topology, noLogicalPools, id -> NamespaceCommands.poolInUse(store, id)),
                ErrorCode.DATA_LOSS_REFUSED).hasMessageContaining("pool1");

        delete("/v1", NOW);
        assertThat(NamespaceCommands.poolInUse(store, poolId)).isTrue();
        delete("/v2", NOW);
        assertThat(NamespaceCommands.poolInUse(store, poolId)).isFalse();
        assertThat(TopologyPlanner.plan(topology, noLogicalPools, id -> NamespaceCommands.poolInUse(store, id))
                .changes()).containsExactly("remove logical pool pool1");
    }

    @Test
    void allocatingTheSameOffsetTwiceGivesTheSameSegment() {
        Entry v = run(ns -> ns.create("/v", 4 * SEGMENT, null, null, NOW, topology));
        assertThat(SegmentAllocator.find(store, v, SEGMENT)).isNull();

        SegmentInfo first = allocate(v, SEGMENT + 7);
        SegmentInfo again = allocate(v, SEGMENT + 7);
        SegmentInfo sameSegment = allocate(v, 2 * SEGMENT - 1);

        assertThat(first.volumeId()).isEqualTo(v.id());
        assertThat(first.offset()).isEqualTo(SEGMENT);
        assertThat(first.length()).isEqualTo(SEGMENT);
        assertThat(first.chunkSize()).isEqualTo(CHUNK);
        assertThat(first.logicalPoolId()).isEqualTo(poolId);
        assertThat(first.chunks()).hasSize((int) (SEGMENT / CHUNK));
        assertThat(again).isEqualTo(first);
        assertThat(sameSegment).isEqualTo(first);
        assertThat(SegmentAllocator.find(store, v, SEGMENT)).isEqualTo(first);
        assertThat(SegmentAllocator.list(store, v.id())).containsExactly(first);
    }

    @Test
    void chunkIdsAreUniqueAcrossSegmentsAndVolumesAndCopysetsAreDealtRoundRobin() {
        Entry v1 = run(ns -> ns.create("/v1", 4 * SEGMENT, null, null, NOW, topology));
        Entry v2 = run(ns -> ns.create("/v2", 2 * SEGMENT, null, null, NOW, topology));
        List<SegmentInfo> inOrder = List.of(allocate(v1, 3 * SEGMENT), allocate(v1, 0), allocate(v2, SEGMENT),
                allocate(v1, SEGMENT), allocate(v2, 0));

        List<ChunkLocation> dealt = inOrder.stream().flatMap(s -> s.chunks().stream()).toList();
        assertThat(dealt).extracting(ChunkLocation::chunkId)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(i -> (long) i).toList());
        // 4 chunks per segment over 3 copysets: the per-pool cursor carries on from segment to segment.
        assertThat(dealt).extracting(ChunkLocation::copysetId)
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> i % 3 + 1).toList());
        assertThat(topology.copysetsOf(poolId)).extracting(Topology.Copyset::id).containsExactly(1, 2, 3);
        assertThat(SegmentAllocator.list(store, v1.id())).extracting(SegmentInfo::offset)
                .containsExactly(0L, SEGMENT, 3 * SEGMENT);
        assertThat(SegmentAllocator.list(store, v2.id())).extracting(SegmentInfo::offset).containsExactly(0L, SEGMENT);
    }

    @Test
    void offsetsOutsideTheVolumeAreRefused() {
        Entry v = run(ns -> ns.create("/v", 2 * SEGMENT, null, null, NOW, topology));

        for (long offset : new long[] {-1, 2 * SEGMENT, 2 * SEGMENT + 1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertError(() -> command((ns, b) -> SegmentAllocator.getOrAllocate(store, b, v, offset, topology)),
                    ErrorCode.INVALID_ARGUMENT).hasMessageContaining("offset " + offset + " is outside the volume")
                    .hasMessageContaining("0 <= offset < size");
            assertError(() -> SegmentAllocator.find(store, v, offset), ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(SegmentAllocator.list(store, v.id())).isEmpty();
    }

    @Test
    void deleteDropsOnlyThatVolumesSegmentsAndARecreatedVolumeStartsEmpty() {
        Entry v1 = run(ns -> ns.create("/v1", 2 * SEGMENT, null, null, NOW, topology));
        Entry v2 = run(ns -> ns.create("/v2", SEGMENT, null, null, NOW, topology));
        allocate(v1, 0);
        allocate(v1, SEGMENT);
        SegmentInfo kept = allocate(v2, 0);

        delete("/v1", NOW);

        assertThat(SegmentAllocator.list(store, v1.id())).isEmpty();
        assertThat(store.get(Keys.SEGMENTS, Keys.ids(v1.id(), 0))).isNull();
        assertThat(SegmentAllocator.list(store, v2.id())).containsExactly(kept);

        Entry again = run(ns -> ns.create("/v1", 2 * SEGMENT, null, null, NOW, topology));
        assertThat(again.id()).isGreaterThan(v2.id());
        assertThat(SegmentAllocator.list(store, again.id())).isEmpty();
        assertThat(allocate(again, 0).chunks()).extracting(ChunkLocation::chunkId).containsExactly(13L, 14L, 15L, 16L);
    }

    @Test
    void allocationWithoutCopysetsIsAConflict() {
        Entry v = run(ns -> ns.create("/v", SEGMENT, null, null, NOW, topology));
        Topology gone = new Topology(topology.nextId(), topology.physicalPools(), topology.zones(), topology.servers(),
                topology.chunkServers(), List.of(), Map.of());

        assertError(() -> command((ns, b) -> SegmentAllocator.getOrAllocate(store, b, v, 0, gone)), ErrorCode.CONFLICT)
                .hasMessageContaining("has no copysets");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private interface Command<T> {
        T apply(NamespaceCommands ns, RocksStore.Batch batch);
    }

    private <T> T run(Function<NamespaceCommands, T> command) {
        return run((ns, b) -> command.apply(ns));
    }

    /** Applies one command in its own batch and commits it with the next index, as the state machine does. */
    private <T> T run(Command<T> command) {
        RocksStore.Batch batch = store.batch();
        T result;
        try {
            result = command.apply(new NamespaceCommands(store, batch), batch);
        } catch (RuntimeException e) {
            // The state machine drops the failed command's batch and commits only the index.
            store.commit(store.batch(), 1, ++index);
            throw e;
        }
        store.commit(batch, 1, ++index);
        return result;
    }

    private void command(Function<NamespaceCommands, ?> command) {
        run(command);
    }

    private void command(Command<?> command) {
        run(command);
    }

    private SegmentInfo allocate(Entry volume, long offset) {
        return run((ns, b) -> SegmentAllocator.getOrAllocate(store, b, volume, offset, topology));
    }

    /** Deletes with a session table on the same batch, like MdsStateMachine.dispatch. */
    private Entry rename(String from, String to, long now) {
        return run((ns, b) -> ns.rename(from, to, now, new SessionTable(store, b)));
    }

    private void delete(String path, long now) {
        run((ns, b) -> {
            ns.delete(path, now, new SessionTable(store, b));
            return path;
        });
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertError(ThrowingCallable call, ErrorCode code) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CamberException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
