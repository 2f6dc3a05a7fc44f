package io.camber.client.nbd;

import static io.camber.client.nbd.NbdProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NbdServerTest {
    private static final int SIZE = 1 << 20;
    private static final int RW_FLAGS =
            TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES;

    private final Random random = new Random(42);
    private MapExportResolver resolver;
    private NbdServer server;

    @BeforeEach
    void start() {
        resolver = new MapExportResolver()
                .add("disk", "scratch volume /tests/disk", new MemoryBlockDevice(SIZE, false))
                .add("ro", "read-only snapshot", new MemoryBlockDevice(SIZE, true));
        server = new NbdServer(resolver, new InetSocketAddress("127.0.0.1", 0), true);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestNbdClient attach(String export) throws IOException {
        TestNbdClient client = TestNbdClient.connect(server.port(), true);
        client.go(export);
        return client;
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void goThenWriteAndReadRoundTrip() throws IOException {
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            assertThat(client.handshakeFlags).isEqualTo(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES);
            List<TestNbdClient.OptionReply> replies = client.infoOrGo(OPT_GO, "disk", INFO_BLOCK_SIZE);
            assertThat(replies.get(replies.size() - 1).type()).isEqualTo(REP_ACK);
            ByteBuffer export = info(replies, INFO_EXPORT);
            assertThat(export.getLong()).isEqualTo(SIZE);
            assertThat(export.getShort()).isEqualTo((short) (RW_FLAGS | TFLAG_CAN_MULTI_CONN));
            ByteBuffer blockSize = info(replies, INFO_BLOCK_SIZE);
            assertThat(List.of(blockSize.getInt(), blockSize.getInt(), blockSize.getInt()))
                    .containsExactly(512, 4096, 32 << 20);

            byte[] data = randomBytes(64 << 10);
            client.request(CMD_WRITE, CMD_FLAG_FUA, 1, 4096, data.length, data);
            TestNbdClient.Reply written = client.reply();
            assertThat(written.cookie()).isEqualTo(1);
            assertThat(written.error()).isZero();
            assertThat(resolver.device("disk").snapshot(4096, data.length)).isEqualTo(data);
            assertThat(client.read(4096, data.length)).isEqualTo(data);
            assertThat(client.read(0, 4096)).isEqualTo(new byte[4096]);
        }
        assertThat(resolver.opens).containsExactly(new MapExportResolver.Open("disk", false));
    }

    @Test
    void listNamesEveryExportWithItsDescription() throws IOException {
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            client.option(OPT_LIST, new byte[0]);
            List<TestNbdClient.OptionReply> replies = client.repliesUntilFinal();
            assertThat(replies).extracting(TestNbdClient.OptionReply::type)
                    .containsExactly(REP_SERVER, REP_SERVER, REP_ACK);
            assertThat(replies.subList(0, 2)).extracting(r -> serverEntry(r.data()))
                    .containsExactly("disk|scratch volume /tests/disk", "ro|read-only snapshot");

            client.option(OPT_LIST, new byte[] {1});
            assertThat(client.optionReply().type()).isEqualTo(REP_ERR_INVALID);
        }
        assertThat(resolver.opens).isEmpty();
    }

    @Test
    void infoAnswersWithoutEnteringTransmissionAndProbesReadOnly() throws IOException {
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            List<TestNbdClient.OptionReply> replies =
                    client.infoOrGo(OPT_INFO, "disk", INFO_NAME, INFO_DESCRIPTION, INFO_BLOCK_SIZE);
            assertThat(replies.get(replies.size() - 1).type()).isEqualTo(REP_ACK);
            ByteBuffer export = info(replies, INFO_EXPORT);
            assertThat(export.getLong()).isEqualTo(SIZE);
            assertThat(export.getShort() & TFLAG_READ_ONLY).isZero();
            assertThat(infoText(replies, INFO_NAME)).isEqualTo("disk");
            assertThat(infoText(replies, INFO_DESCRIPTION)).isEqualTo("scratch volume /tests/disk");
            List<TestNbdClient.OptionReply> readOnly = client.infoOrGo(OPT_INFO, "ro");
            assertThat(info(readOnly, INFO_EXPORT).getShort(8) & TFLAG_READ_ONLY).isEqualTo(TFLAG_READ_ONLY);
            // Still negotiating: GO works on the same connection.
            assertThat(client.go("disk").getLong()).isEqualTo(SIZE);
            assertThat(client.read(0, 512)).hasSize(512);
        }
        assertThat(resolver.opens).containsExactly(new MapExportResolver.Open("disk", true),
                new MapExportResolver.Open("ro", true), new MapExportResolver.Open("disk", false));
        // The server closes the GO device when it sees the disconnect, on its own thread: wait for it.
        awaitClosed(resolver.device("disk"), 2);
    }

    @Test
    void exportNameEntersTransmissionWithOrWithoutZeroPadding() throws IOException {
        for (boolean noZeroes : new boolean[] {false, true}) {
            try (TestNbdClient client = TestNbdClient.connect(server.port(), noZeroes)) {
                client.option(OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
                assertThat(client.in.readLong()).isEqualTo(SIZE);
                assertThat(client.in.readUnsignedShort()).isEqualTo(RW_FLAGS | TFLAG_CAN_MULTI_CONN);
                if (!noZeroes) {
                    assertThat(client.in.readNBytes(124)).isEqualTo(new byte[124]);
                }
                byte[] data = randomBytes(1024);
                assertThat(client.write(2048, data)).isZero();
                assertThat(client.read(2048, 1024)).isEqualTo(data);
            }
        }
    }

    @Test
    void unknownExportIsRefusedWithAMessageAndNegotiationGoesOn() throws IOException {
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            for (int option : new int[] {OPT_INFO, OPT_GO}) {
                List<TestNbdClient.OptionReply> replies = client.infoOrGo(option, "missing");
                assertThat(replies).hasSize(1);
                assertThat(replies.get(0).type()).isEqualTo(REP_ERR_UNKNOWN);
                assertThat(replies.get(0).text()).contains("missing").contains("NBD_OPT_LIST");
            }
            assertThat(client.go("disk").getLong()).isEqualTo(SIZE);
        }
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            client.option(OPT_EXPORT_NAME, "missing".getBytes(StandardCharsets.UTF_8));
            assertThat(client.closedByServer()).as("EXPORT_NAME cannot fail softly").isTrue();
        }
    }

    @Test
    void unsupportedOptionsGetErrUnsupAndAbortIsAcknowledged() throws IOException {
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            client.option(OPT_STRUCTURED_REPLY, new byte[0]);
            assertThat(client.optionReply().type()).isEqualTo(REP_ERR_UNSUP);
            client.option(5 /* STARTTLS */, new byte[0]);
            assertThat(client.optionReply().type()).isEqualTo(REP_ERR_UNSUP);
            client.option(42, new byte[] {1, 2, 3});
            TestNbdClient.OptionReply unknown = client.optionReply();
            assertThat(unknown.option()).isEqualTo(42);
            assertThat(unknown.type()).isEqualTo(REP_ERR_UNSUP);
            client.option(OPT_INFO, new byte[] {0, 0});
            assertThat(client.optionReply().type()).isEqualTo(REP_ERR_INVALID);
            client.option(OPT_ABORT, new byte[0]);
            assertThat(client.optionReply().type()).isEqualTo(REP_ACK);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void clientsWithoutFixedNewstyleOrWithUnknownFlagsAreDropped() throws IOException {
        for (int flags : new int[] {0, FLAG_C_FIXED_NEWSTYLE | 4}) {
            try (TestNbdClient client = TestNbdClient.connectWithFlags(server.port(), flags)) {
                assertThat(client.closedByServer()).as("client flags %d", flags).isTrue();
            }
        }
    }

    @Test
    void badRequestsGetErrorsAndTheConnectionStaysUsable() throws IOException {
        byte[] marker = randomBytes(512);
        resolver.device("disk").fill(0, marker);
        try (TestNbdClient client = attach("disk")) {
            assertThat(client.command(CMD_READ, SIZE - 512, 1024)).as("read past the end").isEqualTo(EINVAL);
            assertThat(client.write(SIZE - 512, new byte[1024])).as("write past the end").isEqualTo(ENOSPC);
            assertThat(client.command(CMD_WRITE_ZEROES, SIZE, 512)).as("zeroes past the end").isEqualTo(ENOSPC);
            assertThat(client.command(CMD_TRIM, -512L, 512)).as("offset 2^64-512").isEqualTo(EINVAL);
            assertThat(client.command(CMD_READ, 100, 512)).as("unaligned offset").isEqualTo(EINVAL);
            assertThat(client.write(0, new byte[100])).as("unaligned length").isEqualTo(EINVAL);
            assertThat(client.command(CMD_READ, 0, 0)).as("empty read").isEqualTo(EINVAL);
            assertThat(client.command(CMD_READ, 0, (32 << 20) + 512)).as("read over 32 MiB").isEqualTo(EINVAL);
            assertThat(client.write(0, new byte[(32 << 20) + 512])).as("write over 32 MiB").isEqualTo(EINVAL);
            assertThat(client.command(9, 0, 512)).as("unknown command").isEqualTo(EINVAL);
            assertThat(client.command(5 /* CACHE */, 0, 512)).as("unadvertised command").isEqualTo(EINVAL);
            client.request(CMD_READ, 1 << 2 /* DF */, 3, 0, 512, null);
            assertThat(client.reply().error()).as("unadvertised flag").isEqualTo(EINVAL);
            client.request(CMD_WRITE, 1 << 7, 4, 0, 512, new byte[512]);
            assertThat(client.reply().error()).as("unknown flag on a write").isEqualTo(EINVAL);
            // Nothing above reached the device, and the stream is still in sync.
            assertThat(client.read(0, 512)).isEqualTo(marker);
        }
    }

    @Test
    void absurdWriteLengthIsAnsweredThenTheConnectionClosed() throws IOException {
        try (TestNbdClient client = attach("disk")) {
            client.request(CMD_WRITE, 0, 11, 0, 100L << 20, null);
            TestNbdClient.Reply reply = client.reply();
            assertThat(reply.cookie()).isEqualTo(11);
            assertThat(reply.error()).isEqualTo(EINVAL);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void readOnlyExportRefusesWritesWithEperm() throws IOException {
        byte[] content = randomBytes(4096);
        resolver.device("ro").fill(0, content);
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            ByteBuffer export = client.go("ro");
            assertThat(export.getLong()).isEqualTo(SIZE);
            assertThat(export.getShort()).isEqualTo((short) (RW_FLAGS | TFLAG_READ_ONLY | TFLAG_CAN_MULTI_CONN));
            assertThat(client.write(0, new byte[512])).isEqualTo(EPERM);
            assertThat(client.command(CMD_TRIM, 0, 512)).isEqualTo(EPERM);
            assertThat(client.command(CMD_WRITE_ZEROES, 0, 512)).isEqualTo(EPERM);
            assertThat(client.command(CMD_FLUSH, 0, 0)).isZero();
            assertThat(client.read(0, 4096)).isEqualTo(content);
        }
    }

    @Test
    void readOnlyServerOpensExportsReadOnlyAndWithoutMultiConnWhenTold() throws IOException {
        server.close();
        server = new NbdServer(resolver, new InetSocketAddress("127.0.0.1", 0), false, true);
        server.start();
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            ByteBuffer export = client.go("disk");
            assertThat(export.getLong()).isEqualTo(SIZE);
            assertThat(export.getShort()).isEqualTo((short) (RW_FLAGS | TFLAG_READ_ONLY));
            assertThat(client.write(0, new byte[512])).isEqualTo(EPERM);
        }
        assertThat(resolver.opens).containsExactly(new MapExportResolver.Open("disk", true));
    }

    @Test
    void trimAndWriteZeroesReadBackAsZeros() throws IOException {
        try (TestNbdClient client = attach("disk")) {
            byte[] data = randomBytes(16384);
            assertThat(client.write(0, data)).isZero();
            assertThat(client.command(CMD_TRIM, 0, 4096)).isZero();
            client.request(CMD_WRITE_ZEROES, CMD_FLAG_NO_HOLE | CMD_FLAG_FUA, 5, 8192, 4096, null);
            assertThat(client.reply().error()).isZero();
            byte[] back = client.read(0, 16384);
            byte[] expected = data.clone();
            java.util.Arrays.fill(expected, 0, 4096, (byte) 0);
            java.util.Arrays.fill(expected, 8192, 12288, (byte) 0);
            assertThat(back).isEqualTo(expected);
        }
    }

    @Test
    void flushReachesTheDevice() throws IOException {
        try (TestNbdClient client = attach("disk")) {
            client.request(CMD_FLUSH, CMD_FLAG_FUA, 77, 0, 0, null);
            TestNbdClient.Reply reply = client.reply();
            assertThat(reply.cookie()).isEqualTo(77);
            assertThat(reply.error()).isZero();
            assertThat(resolver.device("disk").flushes.get()).isEqualTo(1);
        }
    }

    @Test
    void deviceFailuresMapToEioFencingToEpermAndAFullDiskToEnospc() throws IOException {
        MemoryBlockDevice device = resolver.device("disk");
        device.failures.put(4096L, new CamberException(ErrorCode.UNAVAILABLE, "copyset has no leader"));
        device.failures.put(8192L, new CamberException(ErrorCode.FENCED, "a newer writer holds the volume"));
        device.failures.put(12288L, new IllegalStateException("bug"));
        device.failures.put(16384L, new CamberException(ErrorCode.NO_SPACE, "chunk server disk is full"));
        try (TestNbdClient client = attach("disk")) {
            assertThat(client.command(CMD_READ, 4096, 512)).isEqualTo(EIO);
            assertThat(client.write(8192, new byte[512])).isEqualTo(EPERM);
            assertThat(client.command(CMD_WRITE_ZEROES, 12288, 512)).isEqualTo(EIO);
            assertThat(client.write(16384, new byte[512])).isEqualTo(ENOSPC);
            assertThat(client.read(0, 512)).hasSize(512);
        }
    }

    @Test
    void discAnswersInFlightRequestsThenCloses() throws IOException {
        MemoryBlockDevice device = resolver.device("disk");
        CompletableFuture<Void> hold = new CompletableFuture<>();
        device.holds.put(0L, hold);
        byte[] data = randomBytes(4096);
        try (TestNbdClient client = attach("disk")) {
            client.request(CMD_WRITE, 0, 21, 0, data.length, data);
            client.disconnect();
            // The held write keeps the connection open until it completes.
            CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> hold.complete(null));
            TestNbdClient.Reply reply = client.reply();
            assertThat(reply.cookie()).isEqualTo(21);
            assertThat(reply.error()).isZero();
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(device.snapshot(0, 4096)).isEqualTo(data);
        awaitClosed(device, 1);
    }

    @Test
    void pipelinedRepliesArriveInCompletionOrder() throws IOException {
        MemoryBlockDevice device = resolver.device("disk");
        byte[] first = randomBytes(4096);
        byte[] second = randomBytes(4096);
        device.fill(0, first);
        device.fill(4096, second);
        CompletableFuture<Void> hold = new CompletableFuture<>();
        device.holds.put(0L, hold);
        try (TestNbdClient client = attach("disk")) {
            client.request(CMD_READ, 0, 100, 0, 4096, null);
            client.request(CMD_READ, 0, 200, 4096, 4096, null);
            TestNbdClient.Reply early = client.reply();
            assertThat(early.cookie()).isEqualTo(200);
            assertThat(early.data()).isEqualTo(second);
            hold.complete(null);
            TestNbdClient.Reply late = client.reply();
            assertThat(late.cookie()).isEqualTo(100);
            assertThat(late.data()).isEqualTo(first);
        }
    }

    @Test
    void manyPipelinedRequestsBeyondTheInFlightLimitAllGetAnswered() throws Exception {
        int count = 500;
        byte[][] blocks = new byte[count][];
        try (TestNbdClient client = attach("disk")) {
            // Writer thread sends everything without waiting; the server must apply back-pressure, not fail.
            ExecutorService sender = Executors.newSingleThreadExecutor();
            Future<?> sent = sender.submit(() -> {
                for (int i = 0; i < count; i++) {
                    blocks[i] = randomBytes(2048);
                    client.request(CMD_WRITE, 0, i, (long) i * 2048, 2048, blocks[i]);
                }
                return null;
            });
            Set<Long> cookies = new HashSet<>();
            for (int i = 0; i < count; i++) {
                TestNbdClient.Reply reply = client.reply();
                assertThat(reply.error()).isZero();
                assertThat(cookies.add(reply.cookie())).isTrue();
            }
            sent.get(10, TimeUnit.SECONDS);
            sender.shutdown();
            assertThat(cookies).hasSize(count);
            for (int i = 0; i < count; i += 97) {
                assertThat(client.read((long) i * 2048, 2048)).isEqualTo(blocks[i]);
            }
        }
    }

    @Test
    void requestsInFlightPerConnectionAreBounded() throws Exception {
        MemoryBlockDevice device = resolver.device("disk");
        CompletableFuture<Void> hold = new CompletableFuture<>();
        device.holdAll = hold;
        int count = NbdTransmission.MAX_IN_FLIGHT_REQUESTS + 36;
        try (TestNbdClient client = attach("disk")) {
            for (int i = 0; i < count; i++) {
                client.request(CMD_WRITE, 0, i, (long) i * 512, 512, new byte[512]);
            }
            await(() -> device.started.get() >= NbdTransmission.MAX_IN_FLIGHT_REQUESTS);
            Thread.sleep(200);
            assertThat(device.started.get()).isEqualTo(NbdTransmission.MAX_IN_FLIGHT_REQUESTS);
            hold.complete(null);
            Set<Long> cookies = new HashSet<>();
            for (int i = 0; i < count; i++) {
                TestNbdClient.Reply reply = client.reply();
                assertThat(reply.error()).isZero();
                cookies.add(reply.cookie());
            }
            assertThat(cookies).hasSize(count);
            assertThat(device.started.get()).isEqualTo(count);
        }
    }

    @Test
    void twoClientsAtOnceSeeEachOthersWrites() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (TestNbdClient a = attach("disk"); TestNbdClient b = attach("disk")) {
            byte[] dataA = randomBytes(65536);
            byte[] dataB = randomBytes(65536);
            Future<Integer> writeA = pool.submit(() -> a.write(0, dataA));
            Future<Integer> writeB = pool.submit(() -> b.write(65536, dataB));
            assertThat(writeA.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(writeB.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(a.read(65536, 65536)).isEqualTo(dataB);
            assertThat(b.read(0, 65536)).isEqualTo(dataA);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingTheServerDisconnectsClients() throws IOException {
        try (TestNbdClient client = attach("disk")) {
            assertThat(client.read(0, 512)).hasSize(512);
            server.close();
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(resolver.device("disk").closes.get()).isEqualTo(1);
    }

    private static void awaitClosed(MemoryBlockDevice device, int closes) {
        await(() -> device.closes.get() >= closes);
        assertThat(device.closes.get()).isEqualTo(closes);
    }

    /** Waits up to 5 s for a condition another thread makes true; the caller asserts what it needs after. */
    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    private static ByteBuffer info(List<TestNbdClient.OptionReply> replies, int type) {
        return replies.stream().filter(r -> r.type() == REP_INFO && r.infoType() == type)
                .map(r -> ByteBuffer.wrap(r.data(), 2, r.data().length - 2).slice()).findFirst()
                .orElseThrow(() -> new AssertionError("no NBD_REP_INFO of type " + type));
    }

    private static String infoText(List<TestNbdClient.OptionReply> replies, int type) {
        ByteBuffer data = info(replies, type);
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String serverEntry(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int nameLength = buffer.getInt();
        String name = new String(data, 4, nameLength, StandardCharsets.UTF_8);
        String description = new String(data, 4 + nameLength, data.length - 4 - nameLength, StandardCharsets.UTF_8);
        return name + "|" + description;
    }

    @Test
    void aClientStalledInTheHandshakeIsCutOffAndItsSlotFreed() throws Exception {
        server.close();
        server = new NbdServer(resolver, new InetSocketAddress("127.0.0.1", 0), true, false,
                new NbdLimits(java.time.Duration.ofMillis(300), 512));
        server.start();
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", server.port())) {
            silent.setSoTimeout(5000);
            java.io.InputStream in = silent.getInputStream();
            in.readNBytes(18); // the server's greeting; the client never answers it
            long t0 = System.nanoTime();
            assertThat(in.read()).as("closed by the server").isEqualTo(-1);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(3));
        }
        awaitConnections(0);
        try (TestNbdClient client = attach("disk")) {
            client.write(0, randomBytes(512));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndServedAgainOnceOneLeaves() throws Exception {
        server.close();
        server = new NbdServer(resolver, new InetSocketAddress("127.0.0.1", 0), true, false,
                new NbdLimits(java.time.Duration.ofSeconds(30), 2));
        server.start();
        TestNbdClient first = attach("disk");
        try (TestNbdClient second = attach("disk");
             java.net.Socket third = new java.net.Socket("127.0.0.1", server.port())) {
            third.setSoTimeout(5000);
            assertThat(third.getInputStream().read()).as("refused at once, before any greeting").isEqualTo(-1);
            second.write(0, randomBytes(512));
        }
        first.close();
        awaitConnections(0);
        try (TestNbdClient again = attach("disk")) {
            again.write(512, randomBytes(512));
        }
    }

    @Test
    void anIdleAttachedClientIsClosedAfterTheIdleTimeoutButNotWhileItWaitsForAReply() throws Exception {
        server.close();
        server = new NbdServer(resolver, new InetSocketAddress("127.0.0.1", 0), true, false,
                new NbdLimits(java.time.Duration.ofSeconds(30), 512, java.time.Duration.ofMillis(400)));
        server.start();
        MemoryBlockDevice device = resolver.device("disk");
        CompletableFuture<Void> hold = new CompletableFuture<>();
        device.holds.put(8192L, hold);
        byte[] data = randomBytes(4096);
        try (TestNbdClient client = attach("disk")) {
            client.request(CMD_WRITE, 0, 7, 8192, data.length, data);
            // the write is held for three idle timeouts: the client is waiting for us, not idle
            CompletableFuture.delayedExecutor(1200, TimeUnit.MILLISECONDS).execute(() -> hold.complete(null));
            TestNbdClient.Reply reply = client.reply();
            assertThat(reply.cookie()).isEqualTo(7);
            assertThat(reply.error()).isZero();
            client.write(0, randomBytes(512)); // activity within the timeout keeps it attached
            long t0 = System.nanoTime();
            assertThat(client.closedByServer()).as("closed once idle").isTrue();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(3));
        }
        assertThat(device.snapshot(8192, 4096)).isEqualTo(data);
        awaitConnections(0);
    }

    @Test
    void withoutAnIdleTimeoutAnAttachedClientMaySitIdle() throws Exception {
        try (TestNbdClient client = attach("disk")) {
            Thread.sleep(1000);
            byte[] data = randomBytes(512);
            client.write(0, data);
            assertThat(client.read(0, 512)).isEqualTo(data);
        }
    }

    private void awaitConnections(int n) {
        await(() -> server.connections() == n);
        assertThat(server.connections()).isEqualTo(n);
    }
}
