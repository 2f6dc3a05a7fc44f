package io.camber.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.cli.playground.PlaygroundCredentials;
import io.camber.cli.playground.PlaygroundLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * S3 PUTs through the playground's gateway (AWS SDK for Java v2, default settings and retries) from a few threads,
 * each object written once under its own key, recording which ones were acknowledged. Afterwards every acknowledged
 * object must read back whole, and one whose PUT failed must be absent or whole: never a part.
 */
final class S3PutLoad implements AutoCloseable {
    private static final int MAX_SIZE = 2 << 20;

    private final S3Client s3;
    private final String bucket;
    private final Map<String, byte[]> sentDigests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> wrongEtags = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    S3PutLoad(Path playgroundDir, String bucket) throws IOException {
        Properties key = new Properties();
        try (InputStream in = Files.newInputStream(PlaygroundCredentials.s3KeyFile(playgroundDir))) {
            key.load(in);
        }
        this.s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + PlaygroundLayout.GATEWAY_PORT))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(ApacheHttpClient.builder().maxConnections(8).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        key.getProperty("access-key"), key.getProperty("secret-key"))))
                .build();
        this.bucket = bucket;
        s3.createBucket(b -> b.bucket(bucket));
    }

    void start(int writers) {
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> run(writer), "s3-put-" + w);
            t.setDaemon(true); // a failed test must not leave the JVM waiting on a writer
            t.start();
            threads.add(t);
        }
    }

    private void run(int writer) {
        SplittableRandom random = new SplittableRandom(writer * 7919L + 1);
        for (long n = 0; !stopping.get(); n++) {
            String key = "w" + writer + "/obj-" + n;
            byte[] body = new byte[1 + random.nextInt(MAX_SIZE)];
            random.nextBytes(body);
            byte[] md5 = md5(body);
            sentDigests.put(key, md5);
            try {
                String etag = s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(body)).eTag();
                if (!etag.equals("\"" + HexFormat.of().formatHex(md5) + "\"")) {
                    wrongEtags.add(key + ": " + etag);
                }
                acknowledged.put(key, md5);
            } catch (RuntimeException e) {
                if (failed.getAndIncrement() == 0) {
                    System.out.println("S3PutLoad: a PUT failed (not acknowledged, so allowed): " + e);
                }
            }
        }
    }

    /** Stops the writers after their current PUT. */
    void stop(Duration timeout) throws InterruptedException {
        stopping.set(true);
        for (Thread t : threads) {
            t.join(timeout.toMillis());
            assertThat(t.isAlive()).as("%s still in a PUT after %s", t.getName(), timeout).isFalse();
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    long failedCount() {
        return failed.get();
    }

    /** Every acknowledged object reads back with the bytes sent; an unacknowledged one is absent or whole. */
    void assertNothingLostOrTorn() {
        assertThat(wrongEtags).as("acknowledged PUTs whose ETag is not the MD5 of the body").isEmpty();
        for (Map.Entry<String, byte[]> sent : sentDigests.entrySet()) {
            String key = sent.getKey();
            byte[] read;
            try {
                ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(g -> g.bucket(bucket).key(key));
                read = md5(object.asByteArray());
            } catch (NoSuchKeyException e) {
                assertThat(acknowledged).as("acknowledged object %s is gone", key).doesNotContainKey(key);
                continue;
            }
            assertThat(read).as("bytes of %s (%s)", key, acknowledged.containsKey(key) ? "acknowledged"
                    : "PUT failed, so it must be whole if it is there at all").isEqualTo(sent.getValue());
        }
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        s3.close();
    }
}
