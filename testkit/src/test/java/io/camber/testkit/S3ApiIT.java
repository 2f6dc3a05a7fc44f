package io.camber.testkit;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.fs.CamberFs;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.S3KeyCreated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 API through the AWS SDK for Java v2 with its default settings (aws-chunked bodies with a trailing CRC32,
 * signed chunks over http), against an s3-proxy on a real cluster: buckets, objects, ranges, listings, conditionals,
 * presigned URLs, refusals that change nothing, and the same bytes seen through the file-system library.
 */
class S3ApiIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FS = "s3data";
    private static MiniCluster cluster;
    private static MdsAdminClient mds;
    private static String endpoint;
    private static S3KeyCreated key;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        cluster = SharedCluster.get();
        mds = new MdsAdminClient(cluster.url(), MiniCluster.ADMIN_KEY);
        mds.createFs(FS, null, 2).join();
        FsFixtures.awaitLed(mds, FS, WAIT);
        endpoint = cluster.startS3Proxy(FS, Map.of());
        key = mds.createS3Key("s3-api-it").join();
        s3 = client(key.accessKey(), key.secretKey());
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        // the cluster (and the s3-proxy started on it) is shared: it stops when the test JVM exits
    }

    static S3Client client(String accessKey, String secret) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .build();
    }

    @Test
    void objectsRoundTripWithMetadataRangesAndAnMd5Etag() throws Exception {
        s3.createBucket(b -> b.bucket("round-trip"));
        byte[] big = random(5 * 1024 * 1024 + 123, 1);
        String etag = s3.putObject(p -> p.bucket("round-trip").key("dir/sub/big.bin").contentType("application/x-test")
                .metadata(Map.of("colour", "blue")), RequestBody.fromBytes(big)).eTag();
        assertThat(etag).isEqualTo("\"" + md5(big) + "\"");

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(g -> g.bucket("round-trip").key("dir/sub/big.bin"));
        assertThat(got.asByteArray()).isEqualTo(big);
        assertThat(got.response().contentType()).isEqualTo("application/x-test");
        assertThat(got.response().metadata()).containsEntry("colour", "blue");
        assertThat(got.response().eTag()).isEqualTo(etag);

        ResponseBytes<GetObjectResponse> part = s3.getObjectAsBytes(g -> g.bucket("round-trip")
                .key("dir/sub/big.bin").range("bytes=1048570-1048599"));
        assertThat(part.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(big, 1048570, 1048600));
        assertThat(part.response().contentRange()).isEqualTo("bytes 1048570-1048599/" + big.length);
        assertThat(s3.getObjectAsBytes(g -> g.bucket("round-trip").key("dir/sub/big.bin").range("bytes=-10"))
                .asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(big, big.length - 10, big.length));
        assertThatThrownBy(() -> s3.getObjectAsBytes(g -> g.bucket("round-trip").key("dir/sub/big.bin")
                .range("bytes=" + big.length + "-"))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange"));

        assertThat(s3.headObject(h -> h.bucket("round-trip").key("dir/sub/big.bin")).contentLength())
                .isEqualTo(big.length);
        s3.putObject(p -> p.bucket("round-trip").key("dir/sub/big.bin"), RequestBody.fromString("replaced"));
        assertThat(s3.getObjectAsBytes(g -> g.bucket("round-trip").key("dir/sub/big.bin")).asUtf8String())
                .isEqualTo("replaced");
        s3.putObject(p -> p.bucket("round-trip").key("empty"), RequestBody.empty());
        assertThat(s3.getObjectAsBytes(g -> g.bucket("round-trip").key("empty")).asByteArray()).isEmpty();
    }

    @Test
    void listingsPageThroughPrefixesAndDelimitersInKeyOrder() {
        s3.createBucket(b -> b.bucket("listing"));
        List<String> keys = List.of("a-b", "a/x", "a/y/z", "b", "c/d", "c/e", "photos/2024/jan.jpg",
                "photos/2024/feb.jpg", "photos/2025/mar.jpg", "z");
        for (String k : keys) {
            s3.putObject(p -> p.bucket("listing").key(k), RequestBody.fromString(k));
        }
        List<String> all = s3.listObjectsV2Paginator(l -> l.bucket("listing").maxKeys(3)).contents().stream()
                .map(S3Object::key).toList();
        assertThat(all).as("every key once, in S3's byte order, across pages of 3").containsExactly("a-b", "a/x",
                "a/y/z", "b", "c/d", "c/e", "photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/mar.jpg", "z");

        ListObjectsV2Response top = s3.listObjectsV2(l -> l.bucket("listing").delimiter("/"));
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("a-b", "b", "z");
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "c/", "photos/");

        ListObjectsV2Response photos = s3.listObjectsV2(l -> l.bucket("listing").prefix("photos/").delimiter("/"));
        assertThat(photos.contents()).isEmpty();
        assertThat(photos.commonPrefixes()).extracting(CommonPrefix::prefix)
                .containsExactly("photos/2024/", "photos/2025/");

        List<String> paged = s3.listObjectsV2Paginator(l -> l.bucket("listing").delimiter("/").maxKeys(2)).stream()
                .flatMap(r -> java.util.stream.Stream.concat(r.contents().stream().map(S3Object::key),
                        r.commonPrefixes().stream().map(CommonPrefix::prefix))).sorted().toList();
        assertThat(paged).containsExactly("a-b", "a/", "b", "c/", "photos/", "z");

        assertThat(s3.listObjects(l -> l.bucket("listing").prefix("c/").marker("c/d")).contents())
                .extracting(S3Object::key).containsExactly("c/e");
        assertThat(s3.listObjectsV2(l -> l.bucket("listing").startAfter("photos/2024/jan.jpg")).contents())
                .extracting(S3Object::key).containsExactly("photos/2025/mar.jpg", "z");
    }

    @Test
    void deletesRemoveObjectsAndTheirEmptiedDirectoriesAndABucketEmptiesForDeletion() {
        s3.createBucket(b -> b.bucket("deletes"));
        for (String k : List.of("one", "deep/two", "deep/er/three")) {
            s3.putObject(p -> p.bucket("deletes").key(k), RequestBody.fromString(k));
        }
        assertThatThrownBy(() -> s3.deleteBucket(d -> d.bucket("deletes"))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));
        DeleteObjectsResponse deleted = s3.deleteObjects(d -> d.bucket("deletes").delete(Delete.builder().objects(
                ObjectIdentifier.builder().key("one").build(), ObjectIdentifier.builder().key("deep/er/three").build(),
                ObjectIdentifier.builder().key("never-was").build()).build()));
        assertThat(deleted.deleted()).hasSize(3);
        assertThat(s3.listObjectsV2(l -> l.bucket("deletes").delimiter("/")).commonPrefixes())
                .extracting(CommonPrefix::prefix).containsExactly("deep/");
        s3.deleteObject(d -> d.bucket("deletes").key("deep/two"));
        assertThat(s3.listObjectsV2(l -> l.bucket("deletes").delimiter("/")).commonPrefixes())
                .as("the emptied directories went with the last key").isEmpty();
        assertThatThrownBy(() -> s3.getObject(g -> g.bucket("deletes").key("deep/two")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey"));
        s3.deleteBucket(d -> d.bucket("deletes"));
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("deletes");
    }

    @Test
    void copyObjectKeepsOrReplacesMetadataAcrossBucketsAndHonoursItsConditions() {
        s3.createBucket(b -> b.bucket("copy-from"));
        s3.createBucket(b -> b.bucket("copy-to"));
        String etag = s3.putObject(p -> p.bucket("copy-from").key("src/a.txt").contentType("text/plain")
                .metadata(Map.of("origin", "source")), RequestBody.fromString("copied bytes")).eTag();

        String copied = s3.copyObject(c -> c.sourceBucket("copy-from").sourceKey("src/a.txt")
                .destinationBucket("copy-to").destinationKey("dst/b.txt")).copyObjectResult().eTag();
        assertThat(copied).isEqualTo(etag);
        ResponseBytes<GetObjectResponse> kept = s3.getObjectAsBytes(g -> g.bucket("copy-to").key("dst/b.txt"));
        assertThat(kept.asUtf8String()).isEqualTo("copied bytes");
        assertThat(kept.response().contentType()).isEqualTo("text/plain");
        assertThat(kept.response().metadata()).containsEntry("origin", "source");

        s3.copyObject(c -> c.sourceBucket("copy-from").sourceKey("src/a.txt").destinationBucket("copy-from")
                .destinationKey("src/a.txt").metadataDirective("REPLACE").contentType("application/json")
                .metadata(Map.of("origin", "replaced")));
        var replaced = s3.headObject(h -> h.bucket("copy-from").key("src/a.txt"));
        assertThat(replaced.contentType()).isEqualTo("application/json");
        assertThat(replaced.metadata()).containsEntry("origin", "replaced");

        assertThatThrownBy(() -> s3.copyObject(c -> c.sourceBucket("copy-from").sourceKey("src/a.txt")
                .destinationBucket("copy-to").destinationKey("never").copySourceIfMatch("\"0000\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.headObject(h -> h.bucket("copy-to").key("never")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void multipartUploadsCompleteWholeAbortCleanlyAndRefuseBadPartLists() throws Exception {
        s3.createBucket(b -> b.bucket("multipart"));
        double copiedBefore = completed("copied");
        byte[] p1 = random(5 * 1024 * 1024, 11);
        byte[] p2 = random(5 * 1024 * 1024 + 4321, 12);
        byte[] p3 = random(777, 13);
        String id = s3.createMultipartUpload(c -> c.bucket("multipart").key("big/object.bin")
                .contentType("application/x-parts").metadata(Map.of("kind", "multipart"))).uploadId();
        String e1 = s3.uploadPart(u -> u.bucket("multipart").key("big/object.bin").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();
        String e3 = s3.uploadPart(u -> u.bucket("multipart").key("big/object.bin").uploadId(id).partNumber(3),
                RequestBody.fromBytes(p3)).eTag();
        s3.uploadPart(u -> u.bucket("multipart").key("big/object.bin").uploadId(id).partNumber(2),
                RequestBody.fromBytes(random(100, 14)));
        String e2 = s3.uploadPart(u -> u.bucket("multipart").key("big/object.bin").uploadId(id).partNumber(2),
                RequestBody.fromBytes(p2)).eTag(); // a part uploaded again replaces the first try
        assertThat(s3.listParts(l -> l.bucket("multipart").key("big/object.bin").uploadId(id)).parts())
                .extracting(pt -> pt.partNumber() + ":" + pt.size())
                .containsExactly("1:" + p1.length, "2:" + p2.length, "3:" + p3.length);
        assertThat(s3.listMultipartUploads(l -> l.bucket("multipart")).uploads()).extracting(u -> u.uploadId())
                .containsExactly(id);
        assertThat(s3.listObjectsV2(l -> l.bucket("multipart")).contents()).as("nothing visible before complete")
                .isEmpty();

        assertThatThrownBy(() -> s3.completeMultipartUpload(c -> c.bucket("multipart").key("big/object.bin")
                .uploadId(id).multipartUpload(m -> m.parts(p -> p.partNumber(3).eTag(e3), p -> p.partNumber(1)
                        .eTag(e1))))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPartOrder"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(c -> c.bucket("multipart").key("big/object.bin")
                .uploadId(id).multipartUpload(m -> m.parts(p -> p.partNumber(3).eTag(e3), p -> p.partNumber(4)
                        .eTag(e1))))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isIn("InvalidPart", "EntityTooSmall"));

        String etag = s3.completeMultipartUpload(c -> c.bucket("multipart").key("big/object.bin").uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(e1), p -> p.partNumber(2).eTag(e2),
                        p -> p.partNumber(3).eTag(e3)))).eTag();
        assertThat(etag).matches("\"[0-9a-f]{32}-3\"");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(g -> g.bucket("multipart").key("big/object.bin"));
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        whole.writeBytes(p1);
        whole.writeBytes(p2);
        whole.writeBytes(p3);
        assertThat(got.asByteArray()).isEqualTo(whole.toByteArray());
        assertThat(got.response().eTag()).isEqualTo(etag);
        assertThat(got.response().contentType()).isEqualTo("application/x-parts");
        assertThat(got.response().metadata()).containsEntry("kind", "multipart");
        assertThat(s3.listMultipartUploads(l -> l.bucket("multipart")).uploads()).as("completed uploads are gone")
                .isEmpty();

        String aborted = s3.createMultipartUpload(c -> c.bucket("multipart").key("aborted")).uploadId();
        s3.uploadPartCopy(u -> u.sourceBucket("multipart").sourceKey("big/object.bin").copySourceRange("bytes=0-99")
                .destinationBucket("multipart").destinationKey("aborted").uploadId(aborted).partNumber(1));
        assertThat(s3.listParts(l -> l.bucket("multipart").key("aborted").uploadId(aborted)).parts())
                .extracting(pt -> pt.size()).containsExactly(100L);
        s3.abortMultipartUpload(a -> a.bucket("multipart").key("aborted").uploadId(aborted));
        assertThatThrownBy(() -> s3.listParts(l -> l.bucket("multipart").key("aborted").uploadId(aborted)))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));
        assertThat(s3.listObjectsV2(l -> l.bucket("multipart")).contents()).extracting(S3Object::key)
                .containsExactly("big/object.bin");
        assertThat(completed("copied")).as("part 2 ends mid-block, so its bytes were copied").isEqualTo(copiedBefore + 1);
    }

    /** Completions of each kind so far, from the proxy's metrics. */
    private static double completed(String how) {
        return cluster.s3ProxyBean(io.micrometer.core.instrument.MeterRegistry.class)
                .counter("camber_s3_multipart_completed", "how", how).count();
    }

    /**
     * Parts of whole 4 KiB blocks (but the last) are joined in metadata, no byte copied; a Complete repeated after
     * a crash between the join and the rename (simulated by joining through the proxy's own code first) finishes
     * the object from the joined file, and one naming other parts is refused.
     */
    @Test
    void completeJoinsBlockAlignedPartsWithoutCopyingAndResumesAfterACrashMidComplete() throws Exception {
        s3.createBucket(b -> b.bucket("joined"));
        byte[] p1 = random(5 * 1024 * 1024, 21);
        byte[] p2 = random(5 * 1024 * 1024 + 8192, 22);
        byte[] p3 = random(100_000, 23);
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        List.of(p1, p2, p3).forEach(whole::writeBytes);
        double joinedBefore = completed("joined");
        for (String key : List.of("direct", "resumed")) {
            String id = s3.createMultipartUpload(c -> c.bucket("joined").key(key)).uploadId();
            List<String> etags = new java.util.ArrayList<>();
            byte[][] parts = {p1, p2, p3};
            for (int n = 1; n <= 3; n++) {
                int number = n;
                etags.add(s3.uploadPart(u -> u.bucket("joined").key(key).uploadId(id).partNumber(number),
                        RequestBody.fromBytes(parts[number - 1])).eTag());
            }
            if (key.equals("resumed")) {
                joinAsACrashedCompleteWould(key, id, etags);
                assertThatThrownBy(() -> s3.completeMultipartUpload(c -> c.bucket("joined").key(key).uploadId(id)
                        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etags.get(0)), p -> p.partNumber(2)
                                .eTag(etags.get(1)))))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart"));
            }
            String etag = s3.completeMultipartUpload(c -> c.bucket("joined").key(key).uploadId(id)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etags.get(0)), p -> p.partNumber(2)
                            .eTag(etags.get(1)), p -> p.partNumber(3).eTag(etags.get(2))))).eTag();
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(g -> g.bucket("joined").key(key));
            assertThat(got.asByteArray()).as(key).isEqualTo(whole.toByteArray());
            assertThat(got.response().eTag()).isEqualTo(etag).matches("\"[0-9a-f]{32}-3\"");
            assertThat(s3.listMultipartUploads(l -> l.bucket("joined")).uploads()).isEmpty();
        }
        assertThat(completed("joined")).isEqualTo(joinedBefore + 2);
    }

    /** What a Complete does up to the join, through the proxy's own mount, before it is killed. */
    private static void joinAsACrashedCompleteWould(String key, String id, List<String> quotedEtags) {
        CamberFs fs = cluster.s3ProxyBean(io.camber.s3.fs.FsConnection.class).fs().join();
        io.camber.s3.multipart.Uploads uploads = new io.camber.s3.multipart.Uploads(".s3-uploads");
        io.camber.s3.multipart.Uploads.Upload upload = uploads.open(fs, id, "joined", key).join();
        List<String> etags = quotedEtags.stream().map(e -> e.replace("\"", "")).toList();
        String plan = io.camber.s3.multipart.PartJoin.plan(List.of(1, 2, 3), etags);
        assertThat(new io.camber.s3.multipart.PartJoin().join(fs, upload, uploads.parts(fs, upload).join(), plan)
                .join()).isPresent();
    }

    @Test
    void conditionalsAnswer304And412() {
        s3.createBucket(b -> b.bucket("conditional"));
        String etag = s3.putObject(p -> p.bucket("conditional").key("k"), RequestBody.fromString("v1")).eTag();
        assertThat(s3.getObjectAsBytes(g -> g.bucket("conditional").key("k").ifMatch(etag)).asUtf8String())
                .isEqualTo("v1");
        assertThatThrownBy(() -> s3.getObject(g -> g.bucket("conditional").key("k").ifMatch("\"0000\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.getObject(g -> g.bucket("conditional").key("k").ifNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
    }

    @Test
    void refusedRequestsGetS3CodesAndChangeNothing() throws Exception {
        s3.createBucket(b -> b.bucket("refusals"));
        s3.putObject(p -> p.bucket("refusals").key("kept"), RequestBody.fromString("original"));

        try (S3Client wrongSecret = client(key.accessKey(), "x".repeat(40))) {
            assertThatThrownBy(() -> wrongSecret.putObject(p -> p.bucket("refusals").key("kept"),
                    RequestBody.fromString("overwritten"))).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
        }
        try (S3Client unknown = client("CK000000000000000000", "x".repeat(40))) {
            assertThatThrownBy(() -> unknown.listBuckets()).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId"));
        }
        assertThatThrownBy(() -> s3.putObject(p -> p.bucket("refusals").key("kept").contentMD5(
                java.util.Base64.getEncoder().encodeToString(new byte[16])), RequestBody.fromString("overwritten")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.putObject(p -> p.bucket("refusals").key("a/../b"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("xn--reserved-prefix")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidBucketName"));
        assertThatThrownBy(() -> s3.getObject(g -> g.bucket("no-such-bucket").key("k")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));

        S3KeyCreated other = mds.createS3Key("someone-else").join();
        try (S3Client stranger = client(other.accessKey(), other.secretKey())) {
            assertThatThrownBy(() -> stranger.getObject(g -> g.bucket("refusals").key("kept")))
                    .isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
            assertThat(stranger.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("refusals");
        }
        assertThat(s3.getObjectAsBytes(g -> g.bucket("refusals").key("kept")).asUtf8String()).isEqualTo("original");
        assertThat(s3.listObjectsV2(l -> l.bucket("refusals")).contents()).extracting(S3Object::key)
                .containsExactly("kept");
    }

    @Test
    void presignedUrlsWorkUntilTheyExpire() throws Exception {
        s3.createBucket(b -> b.bucket("presigned"));
        s3.putObject(p -> p.bucket("presigned").key("shared.txt"), RequestBody.fromString("shared bytes"));
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1).serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration
                        .builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKey(),
                        key.secretKey()))).build()) {
            URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("presigned").key("shared.txt"))).url().toURI();
            HttpURLConnection c = (HttpURLConnection) get.toURL().openConnection();
            assertThat(c.getResponseCode()).isEqualTo(200);
            assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("shared bytes");

            URI quick = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
                    .getObjectRequest(g -> g.bucket("presigned").key("shared.txt"))).url().toURI();
            Thread.sleep(2100);
            HttpURLConnection expired = (HttpURLConnection) quick.toURL().openConnection();
            assertThat(expired.getResponseCode()).isEqualTo(403);
            assertThat(new String(expired.getErrorStream().readAllBytes())).contains("<Code>AccessDenied</Code>");
        }
    }

    @Test
    void objectsAreFilesOfTheFileSystemBothWays() throws Exception {
        s3.createBucket(b -> b.bucket("shared"));
        byte[] viaS3 = random(300_000, 7);
        String putEtag = s3.putObject(p -> p.bucket("shared").key("from-s3/data.bin"), RequestBody.fromBytes(viaS3))
                .eTag();
        assertThat(s3.headObject(h -> h.bucket("shared").key("from-s3/data.bin")).eTag()).isEqualTo(putEtag);
        byte[] viaFs = random(70_000, 8);
        try (ChunkClient chunks = new ChunkClient(64L << 20);
             CamberFs fs = CamberFs.mount(mds, chunks, FS, CamberFs.Options.defaults("s3-api-it")).join()) {
            var file = fs.resolve("/shared/from-s3/data.bin").join();
            try (CamberFs.FileHandle h = fs.open(file.ino(), false).join()) {
                ByteBuffer read = h.read(0, viaS3.length + 10).join();
                byte[] bytes = new byte[read.remaining()];
                read.get(bytes);
                assertThat(bytes).as("the object's bytes as the file system reads them").isEqualTo(viaS3);
            }
            try (CamberFs.FileHandle h = fs.open(file.ino(), true).join()) {
                h.write(0, ByteBuffer.wrap(new byte[] {42})).join(); // changed through the file system
            }
            viaS3[0] = 42;
            var dir = fs.resolve("/shared").join();
            var made = fs.mknod(dir.ino(), "from-fs.bin", 0100644, 0, new CamberFs.Caller(0, 0)).join();
            try (CamberFs.FileHandle h = fs.openCreated(made, true).join()) {
                h.write(0, ByteBuffer.wrap(viaFs)).join();
            }
        }
        assertThat(s3.listObjectsV2(l -> l.bucket("shared")).contents()).extracting(S3Object::key)
                .containsExactly("from-fs.bin", "from-s3/data.bin");
        assertThat(s3.getObjectAsBytes(g -> g.bucket("shared").key("from-fs.bin")).asByteArray()).isEqualTo(viaFs);
        ResponseBytes<GetObjectResponse> changed = s3.getObjectAsBytes(g -> g.bucket("shared").key("from-s3/data.bin"));
        assertThat(changed.asByteArray()).isEqualTo(viaS3);
        assertThat(changed.response().eTag()).as("the stored MD5 no longer describes the bytes").isNotEqualTo(putEtag);
    }

    /** The boto3 suite (pytest): listings, ranges, conditionals, presigned URLs, refused signatures. */
    @Test
    void theBoto3SuitePasses() throws Exception {
        java.nio.file.Path script = java.nio.file.Files.createTempFile("s3_boto3_suite", ".py");
        try (var in = S3ApiIT.class.getResourceAsStream("s3_boto3_suite.py")) {
            java.nio.file.Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                script.toString()).redirectErrorStream(true);
        pb.environment().put("S3_ENDPOINT", endpoint);
        pb.environment().put("S3_ACCESS_KEY", key.accessKey());
        pb.environment().put("S3_SECRET_KEY", key.secretKey());
        pb.environment().remove("AWS_CA_BUNDLE"); // plain http: a machine-wide bundle has nothing to say
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).as("pytest finished").isTrue();
        java.nio.file.Files.deleteIfExists(script);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("7 passed");
    }

    /**
     * A staged body left by a proxy killed mid-PUT is freed once it has not been written for
     * camber.s3.staged-file-expiry, and an upload nobody ended is aborted after camber.s3.upload-expiry; younger
     * ones are left alone. The sweep runs as of a chosen time instead of waiting a day.
     */
    @Test
    void leftoversOfDeadPutsAndForgottenUploadsAreSweptOnceTheyExpire() {
        s3.createBucket(b -> b.bucket("sweep"));
        String id = s3.createMultipartUpload(c -> c.bucket("sweep").key("big")).uploadId();
        s3.uploadPart(u -> u.bucket("sweep").key("big").uploadId(id).partNumber(1), RequestBody.fromString("part"));
        CamberFs fs = cluster.s3ProxyBean(io.camber.s3.fs.FsConnection.class).fs().join();
        var staging = io.camber.s3.fs.Directories.ensure(fs, CamberFs.ROOT, List.of(".s3-staging")).join();
        fs.mknod(staging.ino(), "left-by-a-kill", 0100644, 0, new CamberFs.Caller(0, 0)).join();
        var sweeper = cluster.s3ProxyBean(io.camber.s3.sweep.LeftoverSweeper.class);
        java.time.Instant now = java.time.Instant.now();

        sweeper.sweep(now).join();
        assertThat(fs.lookup(staging.ino(), "left-by-a-kill").join()).as("a fresh staged file stays").isNotNull();

        assertThat(sweeper.sweep(now.plus(Duration.ofHours(25))).join().stagedFiles()).isGreaterThanOrEqualTo(1);
        assertThat(io.camber.s3.fs.Directories.errorOf(org.assertj.core.api.Assertions.catchThrowable(
                () -> fs.lookup(staging.ino(), "left-by-a-kill").join()))).isEqualTo(io.camber.meta.fs.FsError.ENOENT);
        assertThat(s3.listMultipartUploads(l -> l.bucket("sweep")).uploads()).as("a day-old upload stays")
                .hasSize(1);

        assertThat(sweeper.sweep(now.plus(Duration.ofDays(8))).join().uploads()).isGreaterThanOrEqualTo(1);
        assertThat(s3.listMultipartUploads(l -> l.bucket("sweep")).uploads()).isEmpty();
        assertThatThrownBy(() -> s3.uploadPart(u -> u.bucket("sweep").key("big").uploadId(id).partNumber(2),
                RequestBody.fromString("late"))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
