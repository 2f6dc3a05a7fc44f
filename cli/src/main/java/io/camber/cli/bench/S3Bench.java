package io.camber.cli.bench;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.Inode;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PUTs and GETs of objects through the gateway (AWS SDK for Java v2, default settings), and the same writes and
 * reads of files straight through the FS library in this process, with 1 and N clients: ops/s, MiB/s, p50/p99 and
 * the ratio of the S3 path to the library path. Each client is a thread doing one operation at a time.
 */
final class S3Bench {
    /** Objects each case cycles over, so GETs read what PUTs wrote. */
    static final int KEYS = 64;

    record Row(String path, String op, int size, int clients, long ops, double seconds, double p50Ms, double p99Ms) {
        double opsPerSec() {
            return ops / seconds;
        }

        double mibPerSec() {
            return opsPerSec() * size / (1 << 20);
        }
    }

    /** One closed-loop run: clients threads, each calling op until the time is up. */
    interface Op {
        void run(int client, long n) throws Exception;
    }

    static Row measure(String path, String op, int size, int clients, Duration duration, Op work)
            throws InterruptedException {
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong failures = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            latencies[c] = new long[1024];
            Thread thread = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    try {
                        work.run(client, n++);
                    } catch (Exception e) {
                        if (failures.getAndIncrement() == 0) {
                            System.err.println("bench: " + path + " " + op + " failed: " + e);
                        }
                        continue;
                    }
                    if (counts[client] == latencies[client].length) {
                        latencies[client] = Arrays.copyOf(latencies[client], counts[client] * 2);
                    }
                    latencies[client][counts[client]++] = System.nanoTime() - t0;
                }
            }, "bench-client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        if (failures.get() > 0) {
            System.err.println("bench: " + path + " " + op + ": " + failures.get() + " operations failed");
        }
        return new Row(path, op, size, clients, all.length, seconds, percentile(all, 50), percentile(all, 99));
    }

    static S3Client client(URI endpoint, String accessKey, String secretKey, int clients) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(ApacheHttpClient.builder().maxConnections(clients).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        secretKey))).build();
    }

    /** The S3 path: PUT then GET of size-byte objects under bucket/prefix. */
    static List<Row> s3(S3Client s3, String bucket, int size, int clients, Duration duration)
            throws InterruptedException {
        byte[] data = payload(size);
        String prefix = "bench/" + size + "/" + clients + "/";
        Row put = measure("s3", "PUT", size, clients, duration, (c, n) -> s3.putObject(p -> p.bucket(bucket)
                .key(prefix + (n * clients + c) % KEYS), RequestBody.fromBytes(data)));
        long written = written(put);
        Row get = measure("s3", "GET", size, clients, duration, (c, n) -> {
            byte[] got = s3.getObjectAsBytes(g -> g.bucket(bucket).key(prefix + (n * clients + c) % written))
                    .asByteArrayUnsafe();
            if (got.length != size) {
                throw new IllegalStateException("GET answered " + got.length + " bytes, not " + size);
            }
        });
        return List.of(put, get);
    }

    /** The library path: create, write and close a file, then open, read and close it, in directory dir. */
    static List<Row> library(CamberFs fs, long dir, int size, int clients, Duration duration)
            throws InterruptedException {
        byte[] data = payload(size);
        String prefix = "lib-" + size + "-" + clients + "-";
        Row put = measure("library", "PUT", size, clients, duration, (c, n) -> {
            String name = prefix + (n * clients + c) % KEYS + "-" + n;
            Inode file = fs.mknod(dir, name, 0100644, 0, new CamberFs.Caller(0, 0)).join();
            try (CamberFs.FileHandle h = fs.openCreated(file, true).join()) {
                h.write(0, ByteBuffer.wrap(data)).join();
            }
            fs.rename(dir, name, dir, prefix + (n * clients + c) % KEYS).join();
        });
        long written = written(put);
        Row get = measure("library", "GET", size, clients, duration, (c, n) -> {
            Inode file = fs.lookup(dir, prefix + (n * clients + c) % written).join();
            try (CamberFs.FileHandle h = fs.open(file.ino(), false).join()) {
                ByteBuffer got = h.read(0, size).join();
                if (got.remaining() != size) {
                    throw new IllegalStateException("read answered " + got.remaining() + " bytes, not " + size);
                }
            }
        });
        return List.of(put, get);
    }

    /** How many of the KEYS names the PUTs wrote (names are used in order): GETs read only those. */
    private static long written(Row put) {
        if (put.ops() == 0) {
            throw new IllegalStateException("no " + put.path() + " PUT of " + put.size() + " bytes succeeded: "
                    + "nothing to GET (see the errors above)");
        }
        return Math.min(KEYS, put.ops());
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s %-4s %8s %7s %8s %9s %9s %9s %9s%n",
                "PATH", "OP", "SIZE", "CLIENTS", "OPS", "OPS/S", "MIB/S", "P50 MS", "P99 MS"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-8s %-4s %8d %7d %8d %9.1f %9.2f %9.2f %9.2f%n", r.path(), r.op(),
                    r.size(), r.clients(), r.ops(), r.opsPerSec(), r.mibPerSec(), r.p50Ms(), r.p99Ms()));
        }
        out.append(String.format(Locale.ROOT, "%nratio s3/library (ops/s):%n"));
        for (Row s3 : rows) {
            if (!s3.path().equals("s3")) {
                continue;
            }
            rows.stream().filter(l -> l.path().equals("library") && l.op().equals(s3.op()) && l.size() == s3.size()
                    && l.clients() == s3.clients()).findFirst().ifPresent(l -> out.append(String.format(Locale.ROOT,
                    "  %-4s %8d B x %2d clients: %.2f%n", s3.op(), s3.size(), s3.clients(),
                    s3.opsPerSec() / l.opsPerSec())));
        }
        return out.toString();
    }

    private static byte[] payload(int size) {
        byte[] data = new byte[size];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
