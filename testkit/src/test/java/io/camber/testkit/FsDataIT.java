package io.camber.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.client.block.CamberVolume;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.FsInfo;
import io.camber.common.api.OpenMode;
import io.camber.common.api.PartitionInfo;
import io.camber.meta.client.PartitionClient;
import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.protocol.MetaCommand;
import io.camber.meta.protocol.MetaQuery;
import io.camber.meta.protocol.MetaReply;
import io.camber.meta.protocol.MetaResult;
import io.camber.meta.protocol.PartitionId;
import io.camber.server.raft.RaftSettings;
import io.camber.testkit.AdminHttp.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where a file's bytes live, end to end on a real cluster (MDS, three chunk services, three meta-services): a file
 * system comes with its data volume; partitions allocate space from their own slices; two SHARED opens write
 * different files at once without fencing each other and a third reads both back; the space of a deleted file is
 * trimmed by the partition leader's GC, reads as zeros and is handed out again; users cannot open or delete the data
 * volume; removing the file system removes it.
 */
class FsDataIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long B = DataLayout.BLOCK;
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
    private static MiniCluster cluster;
    private static MdsAdminClient mds;
    private static final List<ChunkClient> CHUNK_CLIENTS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().mds(1).chunkServers(3).metaServers(3).chunkSize(1 << 20).copysets(6)
                .metaProperty("camber.meta.gc.interval", "300ms").metaProperty("camber.meta.gc.orphan-grace", "0s")
                .start();
        cluster.awaitMetaServersRegistered(WAIT);
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        CHUNK_CLIENTS.forEach(ChunkClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sharedWritersShareTheDataVolumeAndFreedSpaceReadsAsZerosBeforeItIsReused() throws Exception {
        FsInfo fs = mds.createFs("files", null, 2).join();
        String data = DataLayout.dataVolumePath(fs.id());
        assertThat(fs.dataVolume()).isEqualTo(data);
        FsInfo led = awaitValue(() -> mds.describeFs("files").join(), f -> f.inodesUsed() >= 0
                && f.partitions().stream().allMatch(p -> p.leader() != null) && f.usedBytes() >= 0);
        assertThat(led.capacityBytes()).as("the pool's capacity, for statfs").isPositive();
        assertThat(mds.stat(data).join().size()).isEqualTo(DataLayout.VOLUME_BYTES);

        try (PartitionClient p0 = client(led.partitions().get(0)); PartitionClient p1 = client(led.partitions().get(1))) {
            long f = ((MetaResult.Attr) ok(p0.submitAndWait(new MetaCommand.MakeNode(1, "f",
                    FileType.REGULAR.mode(0644), 0, 0, 0, null, now())))).inode().ino();
            long g = ((MetaResult.Attr) ok(p1.submitAndWait(new MetaCommand.MakeInode(1, FileType.REGULAR.mode(0644),
                    0, 0, 0, null, now())))).inode().ino();
            ok(p0.submitAndWait(new MetaCommand.AddDentry(1, "g", g, FileType.REGULAR, now())));
            List<Extent> fSpace = allocated(p0, f, 0, 300_000);
            List<Extent> gSpace = allocated(p1, g, 0, 5000);
            assertThat(fSpace).allSatisfy(e -> assertThat(e.volumeOffset()).isLessThan(DataLayout.SLICE_BYTES));
            assertThat(gSpace).containsExactly(new Extent(0, DataLayout.SLICE_BYTES, 2 * B));

            byte[] fBytes = random(DataLayout.blockCeil(300_000), 1);
            byte[] gBytes = random(2 * B, 2);
            try (CamberVolume writerF = open(data); CamberVolume writerG = open(data)) {
                assertThat(writerF.epoch()).as("shared opens take no epoch").isEqualTo(writerG.epoch());
                CompletableFuture.allOf(write(writerF, fSpace, fBytes), write(writerG, gSpace, gBytes)).join();
                // Both still write after the other opened: neither was fenced.
                write(writerF, fSpace, fBytes).join();
                write(writerG, gSpace, gBytes).join();
                try (CamberVolume reader = open(data)) {
                    assertThat(read(reader, fSpace)).isEqualTo(fBytes);
                    assertThat(read(reader, gSpace)).isEqualTo(gBytes);
                }
            }
            assertThat(mds.stat(data).join().epoch()).as("no shared open raised the epoch").isZero();

            MetaReply unlinked = p0.submitAndWait(new MetaCommand.Unlink(1, "g", now()));
            assertThat(((MetaResult.Unlinked) ok(unlinked)).ino()).isEqualTo(g);
            ok(p1.submitAndWait(new MetaCommand.AdjustLinks(g, -1, now())));
            awaitValue(() -> p1.queryAndWait(new MetaQuery.GetAttr(g)).error(), e -> e == FsError.ENOENT);
            assertThat(((MetaResult.Stats) ok(p1.queryAndWait(new MetaQuery.StatFs()))).stats().bytesUsed())
                    .as("the partition's space came back").isZero();

            try (CamberVolume reader = open(data)) {
                assertThat(read(reader, gSpace)).as("trimmed before release").isEqualTo(new byte[(int) (2 * B)]);
                assertThat(read(reader, fSpace)).as("the other file is untouched").isEqualTo(fBytes);
            }
            long h = ((MetaResult.Attr) ok(p1.submitAndWait(new MetaCommand.MakeInode(1, FileType.REGULAR.mode(0644),
                    0, 0, 0, null, now())))).inode().ino();
            assertThat(allocated(p1, h, 0, 2 * B)).as("g's space, handed out again").isEqualTo(gSpace);

            bigFileSpaceSpanningWholeChunksIsTrimmedAndRewritten(p0, data, fSpace, fBytes);
        }
    }

    /** Whole chunks of freed space are deleted by the trim; writing the reused space brings them back. */
    private static void bigFileSpaceSpanningWholeChunksIsTrimmedAndRewritten(PartitionClient p0, String data,
                                                                        List<Extent> fSpace, byte[] fBytes) {
        long k = ((MetaResult.Attr) ok(p0.submitAndWait(new MetaCommand.MakeNode(1, "k",
                FileType.REGULAR.mode(0644), 0, 0, 0, null, now())))).inode().ino();
        List<Extent> kSpace = allocated(p0, k, 0, 3 << 20);
        assertThat(kSpace).hasSize(1); // one run, over at least two whole 1 MiB chunks
        byte[] kBytes = random(3 << 20, 3);
        try (CamberVolume writer = open(data)) {
            write(writer, kSpace, kBytes).join();
        }
        ok(p0.submitAndWait(new MetaCommand.Unlink(1, "k", now())));
        awaitValue(() -> p0.queryAndWait(new MetaQuery.GetAttr(k)).error(), e -> e == FsError.ENOENT);
        long m = ((MetaResult.Attr) ok(p0.submitAndWait(new MetaCommand.MakeNode(1, "m",
                FileType.REGULAR.mode(0644), 0, 0, 0, null, now())))).inode().ino();
        try (CamberVolume volume = open(data)) {
            assertThat(read(volume, kSpace)).as("trimmed").isEqualTo(new byte[3 << 20]);
            List<Extent> mSpace = allocated(p0, m, 0, 3 << 20);
            assertThat(mSpace).as("k's space again").isEqualTo(kSpace);
            byte[] mBytes = random(3 << 20, 4);
            write(volume, mSpace, mBytes).join();
            assertThat(read(volume, mSpace)).isEqualTo(mBytes);
            assertThat(read(volume, fSpace)).isEqualTo(fBytes);
        }
    }

    @Test
    void usersCannotOpenChangeOrDeleteADataVolumeAndFsRmRemovesIt() {
        FsInfo fs = mds.createFs("guarded", null, 1).join();
        String data = fs.dataVolume();
        for (OpenMode mode : List.of(OpenMode.READ_WRITE, OpenMode.READ_ONLY)) {
            assertCode(() -> mds.open(data, mode, "user").join(), ErrorCode.FORBIDDEN);
        }
        Response delete = fresh().delete("/api/v1/volumes?path=" + data);
        assertThat(delete.status()).as(delete.raw()).isEqualTo(403);
        assertThat(delete.code()).isEqualTo("FORBIDDEN");
        assertThat(fresh().post("/api/v1/volumes", Map.of("path", "/.fs/mine", "size", "1GiB")).code())
                .isEqualTo("FORBIDDEN");
        assertThat(fresh().post("/api/v1/volumes/extend", Map.of("path", data, "size", "2048TiB")).code())
                .isEqualTo("FORBIDDEN");
        assertThat(fresh().post("/api/v1/volumes/rename", Map.of("from", data, "to", "/stolen")).code())
                .isEqualTo("FORBIDDEN");
        assertThat(fresh().post("/api/v1/volumes", Map.of("path", "/plain", "size", "1GiB")).status()).isEqualTo(201);
        assertCode(() -> mds.open("/plain", OpenMode.SHARED, "user").join(), ErrorCode.INVALID_ARGUMENT);
        assertThat(mds.stat(data).join().size()).as("still there").isEqualTo(DataLayout.VOLUME_BYTES);

        assertThat(fresh().delete("/api/v1/fs/guarded?force=true").status()).isEqualTo(204);
        assertCode(() -> mds.stat(data).join(), ErrorCode.NOT_FOUND);
    }

    private static List<Extent> allocated(PartitionClient p, long ino, long offset, long length) {
        MetaResult.Allocated got = (MetaResult.Allocated) ok(p.submitAndWait(new MetaCommand.AllocateExtents(ino,
                offset, length, now())));
        return got.extents();
    }

    private static CamberVolume open(String path) {
        ChunkClient chunks = new ChunkClient(16L << 20); // one per open: separate clients, as separate mounts are
        CHUNK_CLIENTS.add(chunks);
        return CamberVolume.open(mds, chunks, path, OpenMode.SHARED, "fs-data-it", METRICS);
    }

    /** Writes the file's bytes (in file order) into its extents. */
    private static CompletableFuture<Void> write(CamberVolume v, List<Extent> extents, byte[] bytes) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Extent e : extents) {
            writes.add(v.write(e.volumeOffset(), ByteBuffer.wrap(bytes, (int) e.fileOffset(), (int) e.length())));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private static byte[] read(CamberVolume v, List<Extent> extents) {
        long total = extents.stream().mapToLong(Extent::length).sum();
        byte[] out = new byte[(int) total];
        for (Extent e : extents) {
            ByteBuffer b = v.read(e.volumeOffset(), (int) e.length()).join();
            b.get(out, (int) e.fileOffset(), (int) e.length());
        }
        return out;
    }

    private static byte[] random(long length, long seed) {
        byte[] bytes = new byte[(int) length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static MetaResult ok(MetaReply reply) {
        assertThat(reply.error()).as(reply.message()).isEqualTo(FsError.OK);
        return reply.result();
    }

    private static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    private static void assertCode(Runnable call, ErrorCode code) {
        try {
            call.run();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(CamberException.class,
                    c -> assertThat(c.code()).as(c.getMessage()).isEqualTo(code));
            return;
        }
        throw new AssertionError("expected " + code);
    }

    private static AdminHttp fresh() {
        return new AdminHttp(cluster.url());
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
