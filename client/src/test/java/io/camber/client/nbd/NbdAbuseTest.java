package io.camber.client.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What a hostile or broken client can throw at the NBD server: random and malformed handshakes, options and
 * requests, hundreds of idle connections, a WRITE_ZEROES flood. The server must stay up, answer a well-behaved
 * client, and keep its memory bounded: requests and bytes in flight are capped per connection, connections per
 * server, and a WRITE_ZEROES carries no payload (the peak heap, garbage included, is printed).
 */
class NbdAbuseTest {
    private static final int SIZE = 8 << 20;
    private static MapExportResolver resolver;
    private static NbdServer server;
    private static long peakHeap;

    @BeforeContainer
    static void start() {
        resolver = new MapExportResolver().add("disk", "fuzz target", new MemoryBlockDevice(SIZE, false));
        server = new NbdServer(resolver, new InetSocketAddress("127.0.0.1", 0), true, false,
                new NbdLimits(Duration.ofSeconds(2), 600));
        server.start();
    }

    @AfterContainer
    static void stop() {
        server.close();
        System.out.printf("NbdAbuseTest: peak heap used %d MiB%n", peakHeap >> 20);
    }

    /** What a client sends after the server's greeting: client flags, then option frames or plain garbage. */
    @Provide
    Arbitrary<byte[]> negotiations() {
        Arbitrary<byte[]> option = Combinators.combine(
                Arbitraries.integers().between(0, 12), // known and unknown options
                Arbitraries.integers().between(-1, 300), // declared length, sometimes a lie
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.of(true, false)).as((opt, declared, data, magic) -> {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + 4 + data.length);
                    b.putLong(magic ? 0x49484156454F5054L : 0x1234567812345678L).putInt(opt).putInt(declared);
                    b.put(data);
                    return Arrays.copyOf(b.array(), b.position());
                });
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.oneOf(option, garbage)
                .list().ofMaxSize(6)).as((flags, parts) -> {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(flags).array());
                    parts.forEach(out::writeBytes);
                    return out.toByteArray();
                });
    }

    @Property(tries = 150)
    void randomNegotiationsNeverTakeTheServerDown(@ForAll("negotiations") byte[] bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            assertThat(in.readNBytes(18)).hasSize(18); // the greeting
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            drain(in);
        } catch (SocketException e) {
            // the server hung up on us mid-write: fine
        }
        sample();
        wellBehavedClientWorks();
    }

    /** Random requests after a successful GO: valid magic, any type, flags, offset and a bounded length. */
    @Property(tries = 60)
    void randomRequestsGetAnswersOrAHangUpNeverACrash(@ForAll("requests") List<long[]> requests) throws Exception {
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            client.go("disk");
            Random random = new Random(requests.size());
            for (long[] r : requests) {
                int type = (int) r[0];
                int length = (int) r[3];
                byte[] payload = type == NbdProtocol.CMD_WRITE ? new byte[Math.min(length, 1 << 16)] : null;
                if (payload != null) {
                    random.nextBytes(payload);
                }
                client.request(type, (int) r[1], 1000 + r[2], r[2], type == NbdProtocol.CMD_WRITE
                        ? payload.length : length, payload);
            }
        } catch (IOException e) {
            // a hang-up (bad request magic cannot happen here, but a disconnect request can)
        }
        sample();
        wellBehavedClientWorks();
    }

    @Provide
    Arbitrary<List<long[]>> requests() {
        Arbitrary<long[]> request = Combinators.combine(
                Arbitraries.of(0L, 1L, 3L, 4L, 5L, 6L, 7L, 99L), // types, DISC left out, some unknown
                Arbitraries.longs().between(0, 0xFFFF),
                Arbitraries.longs().between(-1, SIZE + 4096L),
                Arbitraries.longs().between(0, 1 << 20)).as((t, f, o, l) -> new long[] {t, f, o, l});
        return request.list().ofMinSize(1).ofMaxSize(20);
    }

    @net.jqwik.api.Example
    void fiveHundredIdleConnectionsAndAWriteZeroesFloodLeaveAWellBehavedClientFast() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                idle.add(new Socket("127.0.0.1", server.port())); // silent in the handshake
            }
            List<TestNbdClient> attached = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                TestNbdClient c = TestNbdClient.connect(server.port(), true);
                c.go("disk"); // then idle in transmission
                attached.add(c);
            }
            Thread flood = new Thread(() -> {
                try (TestNbdClient f = TestNbdClient.connect(server.port(), true)) {
                    f.go("disk");
                    for (int i = 0; i < 2000; i++) {
                        f.request(NbdProtocol.CMD_WRITE_ZEROES, 0, i, 0, 1 << 20, null);
                    }
                    for (int i = 0; i < 2000; i++) {
                        f.reply();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            flood.start();
            long[] latencies = new long[200];
            try (TestNbdClient good = TestNbdClient.connect(server.port(), true)) {
                good.go("disk");
                byte[] block = new byte[4096];
                for (int i = 0; i < latencies.length; i++) {
                    long t0 = System.nanoTime();
                    assertThat(good.write((long) (i % 64) * 4096 + (4L << 20), block)).isZero();
                    latencies[i] = System.nanoTime() - t0;
                    sample();
                }
            }
            flood.join();
            Arrays.sort(latencies);
            long p99 = latencies[(int) (latencies.length * 0.99) - 1];
            System.out.printf("NbdAbuseTest: 500 idle connections + WRITE_ZEROES flood: 4 KiB write p99 %.1f ms%n",
                    p99 / 1e6);
            assertThat(Duration.ofNanos(p99)).isLessThan(Duration.ofSeconds(1));
            for (TestNbdClient c : attached) {
                c.close();
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    private static void wellBehavedClientWorks() throws IOException {
        try (TestNbdClient client = TestNbdClient.connect(server.port(), true)) {
            client.go("disk");
            assertThat(client.write(0, new byte[512])).isZero();
            assertThat(client.read(0, 512)).hasSize(512);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // the server's answers; we only wait for it to be done with us
            }
        } catch (SocketTimeoutException | SocketException e) {
            // it waits for more from us (we stop here), or it reset the connection
        }
    }

    private static void sample() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
    }
}
