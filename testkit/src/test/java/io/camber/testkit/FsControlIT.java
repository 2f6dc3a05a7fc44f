package io.camber.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.client.mds.MdsAdminClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.FsInfo;
import io.camber.common.api.MetaServerInfo;
import io.camber.common.api.PartitionInfo;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.protocol.PartitionId;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.server.raft.RaftSettings;
import io.camber.testkit.AdminHttp.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The file-system control plane on a real MDS and three real meta-services in three zones: a file system's
 * partitions are placed, started, initialized and led; metadata operations reach them through a Ratis client built
 * from what the MDS describes; listing, deleting (with its emptiness rule) and adding a partition work end to end,
 * and bad input gets 400 with a code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FsControlIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static MiniCluster cluster;
    private static MdsAdminClient mds;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).metaServers(3).start();
        // Chunk servers declared, not started: file systems need a logical pool, these tests need no data plane.
        assertThat(fresh().post("/api/v1/topology/apply", Topologies.pool(3, 1, 3)).status()).isEqualTo(200);
        cluster.awaitMetaServersRegistered(WAIT);
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void metaServersRegisterInTheirZonesAndReportOnline() {
        List<MetaServerInfo> servers = awaitValue(() -> mds.metaServers().join(),
                all -> all.size() == 3 && all.stream().allMatch(m -> m.state().name().equals("ONLINE")));
        assertThat(servers).extracting(MetaServerInfo::zone).containsExactlyInAnyOrder("zone1", "zone2", "zone3");
        assertThat(servers).extracting(MetaServerInfo::peerId).containsExactlyInAnyOrder("meta-1", "meta-2", "meta-3");
        assertThat(servers).extracting(MetaServerInfo::raftPort).containsExactlyInAnyOrderElementsOf(
                cluster.metaServers().stream().map(n -> n.raftPort).toList());
    }

    @Test
    void aFileSystemsPartitionsAreLedAndServeMetadataThenItIsDeletedOnlyWithForce() throws Exception {
        FsInfo created = mds.createFs("alpha", null, null).join();
        assertThat(created.pool()).isEqualTo("pool1");
        assertThat(created.partitions()).hasSize(2);
        assertThat(created.partitions().get(0).start()).isEqualTo(1);
        assertThat(created.partitions().get(1).start()).isEqualTo(created.partitions().get(0).end());
        for (PartitionInfo p : created.partitions()) {
            assertThat(p.peerIds()).containsExactlyInAnyOrder("meta-1", "meta-2", "meta-3");
        }

        FsInfo led = awaitLedAndReported("alpha");
        assertThat(led.inodesUsed()).as("the root alone").isEqualTo(1);
        PartitionInfo first = led.partitions().get(0);
        try (PartitionClient root = client(first); PartitionClient second = client(led.partitions().get(1))) {
            MetaReply made = root.submit(new MetaCommand.MakeNode(1, "docs", FileType.DIRECTORY.mode(0755), 0, 0, 0,
                    null, System.currentTimeMillis() * 1_000_000L)).join();
            assertThat(made.error()).as(made.message()).isEqualTo(FsError.OK);
            long ino = ((MetaResult.Attr) made.result()).inode().ino();
            assertThat(ino).isBetween(first.start(), first.end() - 1);

            MetaReply found = root.query(new MetaQuery.Lookup(1, "docs")).join();
            assertThat(found.error()).as(found.message()).isEqualTo(FsError.OK);
            assertThat(((MetaResult.Found) found.result()).entry().ino()).isEqualTo(ino);

            MetaReply stats = second.query(new MetaQuery.StatFs()).join();
            assertThat(stats.error()).as(stats.message()).isEqualTo(FsError.OK);
            assertThat(((MetaResult.Stats) stats.result()).stats().start()).isEqualTo(led.partitions().get(1).start());
        }

        awaitValue(() -> mds.describeFs("alpha").join(), fs -> fs.inodesUsed() == 2);
        Response refused = fresh().delete("/api/v1/fs/alpha");
        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("DATA_LOSS_REFUSED");
        assertThat(mds.listFs().join()).extracting(FsInfo::name).contains("alpha");

        assertThat(fresh().delete("/api/v1/fs/alpha?force=true").status()).isEqualTo(204);
        assertThat(fresh().get("/api/v1/fs/alpha").code()).isEqualTo("NOT_FOUND");
        assertThat(mds.listFs().join()).extracting(FsInfo::name).doesNotContain("alpha");
    }

    @Test
    void anEmptyFileSystemGoesWithoutForceAndAFullPartitionAddsOneThatIsLedToo() {
        mds.createFs("beta", "pool1", 1).join();
        awaitLedAndReported("beta");

        FsInfo grown = mds.addFsPartition("beta", 0).join();
        FsInfo again = mds.addFsPartition("beta", 0).join();
        assertThat(grown.partitions()).hasSize(2);
        assertThat(again.partitions()).hasSize(2);
        assertThat(grown.partitions().get(1).start()).isEqualTo(grown.partitions().get(0).end());
        FsInfo led = awaitLedAndReported("beta");
        assertThat(led.partitions().get(1).nextIno()).isEqualTo(led.partitions().get(1).start());

        assertThat(fresh().delete("/api/v1/fs/beta").status()).isEqualTo(204);
        assertThat(fresh().get("/api/v1/fs/beta").status()).isEqualTo(404);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the other tests need not wait for the restarted member's groups
    void aRestartedMetaServiceResumesItsPartitions() {
        mds.createFs("gamma", null, 1).join();
        PartitionInfo p = awaitLedAndReported("gamma").partitions().get(0);
        MiniCluster.MetaNode node = cluster.metaServers().get(0);
        cluster.restart(node);

        PartitionId id = new PartitionId(p.fsId(), p.partitionId());
        assertThat(node.partitions().partitions()).contains(id);
        try (PartitionClient client = client(p)) {
            MetaReply made = client.submit(new MetaCommand.MakeNode(1, "after-restart", FileType.REGULAR.mode(0644),
                    0, 0, 0, null, System.currentTimeMillis() * 1_000_000L)).join();
            assertThat(made.error()).as(made.message()).isEqualTo(FsError.OK);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        awaitValue(() -> mds.describeFs("gamma").join(), fs -> fs.inodesUsed() == 2
                && fs.partitions().get(0).leader() != null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "slash in name        | {\"name\":\"a/b\"}                          | INVALID_ARGUMENT",
            "NUL in name          | {\"name\":\"a\\u0000b\"}                    | INVALID_ARGUMENT",
            "missing name         | {}                                          | INVALID_ARGUMENT",
            "leading dash         | {\"name\":\"-x\"}                           | INVALID_ARGUMENT",
            "zero partitions      | {\"name\":\"x\",\"partitions\":0}           | INVALID_ARGUMENT",
            "too many partitions  | {\"name\":\"x\",\"partitions\":65}          | INVALID_ARGUMENT",
            "unknown pool         | {\"name\":\"x\",\"pool\":\"nope\"}          | INVALID_ARGUMENT",
            "partitions not a number | {\"name\":\"x\",\"partitions\":\"many\"} | MALFORMED_REQUEST",
            "malformed JSON       | {\"name\":                                  | MALFORMED_REQUEST",
    })
    void badCreatesGet400WithACodeAndCreateNothing(String why, String body, String code) {
        Response r = fresh().post("/api/v1/fs", body);
        assertThat(r.status()).as(why + ": " + r.raw()).isEqualTo(400);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(fresh().get("/api/v1/fs/x").status()).isEqualTo(404);
    }

    @Test
    void theEndpointsAreInTheOpenApiDescriptionAndTheMetricsCountMetaServers() {
        assertThat(fresh().get("/v3/api-docs").raw()).contains("/api/v1/fs/{name}/partitions", "/api/v1/metaservers",
                "CreateFsRequest");
        assertThat(fresh().get("/actuator/prometheus").raw()).contains("camber_mds_metaservers 3.0",
                "camber_mds_filesystems");
    }

    @Test
    void unknownNamesAre404AndTakenNames409() {
        assertThat(fresh().get("/api/v1/fs/nope").code()).isEqualTo("NOT_FOUND");
        assertThat(fresh().delete("/api/v1/fs/nope").code()).isEqualTo("NOT_FOUND");
        assertThat(fresh().post("/api/v1/fs/nope/partitions?full=0", "").code()).isEqualTo("NOT_FOUND");
        assertThat(fresh().get("/api/v1/fs/bad%20name").code()).isEqualTo("INVALID_ARGUMENT");
        assertThat(fresh().post("/api/v1/fs", Map.of("name", "taken", "partitions", 1)).status()).isEqualTo(201);
        Response twice = fresh().post("/api/v1/fs", Map.of("name", "taken"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.code()).isEqualTo("ALREADY_EXISTS");
        try {
            mds.describeFs("nope").join();
            throw new AssertionError("describing an unknown file system must fail");
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(CamberException.class,
                    c -> assertThat(c.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
        assertThat(fresh().delete("/api/v1/fs/taken?force=true").status()).isEqualTo(204);
    }

    /**
     * A client with its own HttpClient, so no connection is reused between calls. Reusing one AdminHttp for the whole
     * class, a POST went unanswered for 30 s in 4 of 10 runs (never a GET or DELETE; the MDS had applied one of them);
     * MdsAdminClient's calls in the same runs never hung.
     */
    private static AdminHttp fresh() {
        return new AdminHttp(cluster.url());
    }

    /** Waits until every partition reports a leader and its usage. */
    private static FsInfo awaitLedAndReported(String name) {
        return awaitValue(() -> mds.describeFs(name).join(), fs -> fs.inodesUsed() >= 0
                && fs.partitions().stream().allMatch(p -> p.leader() != null && p.inodesUsed() >= 0));
    }

    private static PartitionClient client(PartitionInfo p) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < p.peerIds().size(); i++) {
            peers.add(RaftPeer.newBuilder().setId(p.peerIds().get(i)).setAddress(p.addresses().get(i)).build());
        }
        return new PartitionClient(new PartitionId(p.fsId(), p.partitionId()), peers, RaftSettings.defaults());
    }

    private static <T> T awaitValue(java.util.function.Supplier<T> read, Predicate<T> done) {
        return Await.value(read, done, WAIT);
    }
}
