package io.camber.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked examples of the Amazon S3 SigV4 documentation, computed by hand there and checked here. */
class AwsDocsVectorsTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final SecretLookup SECRETS = key -> key.equals(ACCESS_KEY)
            ? Optional.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") : Optional.empty();
    private static final Instant AT = Instant.parse("2013-05-24T00:00:00Z");

    /** "Example: GET Object" (sig-v4-header-based-auth): first 10 bytes of test.txt from examplebucket. */
    @Test
    void getObjectExample() {
        SignedRequest request = new SignedRequest("GET", "/test.txt", "", Map.of(
                "Host", List.of("examplebucket.s3.amazonaws.com"),
                "Range", List.of("bytes=0-9"),
                "x-amz-content-sha256", List.of(Hashing.EMPTY_SHA256),
                "x-amz-date", List.of("20130524T000000Z"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                        + "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
                        + "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));

        Verified verified = SigV4.verify(request, SECRETS, AT);

        assertThat(verified.seedSignature()).isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assertThat(verified.expectedSha256()).contains(Hashing.EMPTY_SHA256);
    }

    /** "Example: PUT Object" (sigv4-streaming): 66560 bytes of 'a' in a 64 KiB and a 1 KiB signed chunk. */
    @Test
    void chunkedPutObjectExample() {
        SignedRequest request = new SignedRequest("PUT", "/examplebucket/chunkObject.txt", "", Map.of(
                "Host", List.of("s3.amazonaws.com"),
                "x-amz-date", List.of("20130524T000000Z"),
                "x-amz-storage-class", List.of("REDUCED_REDUNDANCY"),
                "x-amz-content-sha256", List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
                "Content-Encoding", List.of("aws-chunked"),
                "x-amz-decoded-content-length", List.of("66560"),
                "Content-Length", List.of("66824"),
                "Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                        + "aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
                        + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature="
                        + "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")));
        byte[] a64k = filled(65536);
        byte[] a1k = filled(1024);
        byte[] body = concat(
                "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n", a64k,
                "\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n", a1k,
                "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n");
        assertThat(body).hasSize(66824);

        Verified verified = SigV4.verify(request, SECRETS, AT);

        assertThat(AwsChunkedDecoderSdkTest.decode(verified, body, new int[] {1000})).isEqualTo(filled(66560));
    }

    private static byte[] filled(int n) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    private static byte[] concat(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof String s ? s.getBytes(StandardCharsets.US_ASCII) : (byte[]) part);
        }
        return out.toByteArray();
    }
}
