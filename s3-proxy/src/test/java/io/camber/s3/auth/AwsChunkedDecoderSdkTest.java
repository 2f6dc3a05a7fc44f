package io.camber.s3.auth;

import static io.camber.s3.auth.SdkReference.SECRETS;
import static io.camber.s3.auth.SdkReference.SIGNED_AT;
import static io.camber.s3.auth.SdkReference.request;
import static io.camber.s3.auth.SdkReference.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/** {@code aws-chunked} bodies encoded and signed by the AWS SDK v2 decode to the original bytes, split anywhere. */
class AwsChunkedDecoderSdkTest {

    /** Three SDK chunks (128 KiB each) and a short tail, so chains and chunk boundaries are exercised. */
    private static final byte[] PAYLOAD = payload(3 * 128 * 1024 + 1000);

    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(true, null, PayloadMode.STREAMING_SIGNED),
                Arguments.of(true, DefaultChecksumAlgorithm.CRC32, PayloadMode.STREAMING_SIGNED_TRAILER),
                Arguments.of(true, DefaultChecksumAlgorithm.SHA256, PayloadMode.STREAMING_SIGNED_TRAILER),
                Arguments.of(false, DefaultChecksumAlgorithm.CRC32C, PayloadMode.STREAMING_UNSIGNED_TRAILER),
                Arguments.of(false, DefaultChecksumAlgorithm.SHA1, PayloadMode.STREAMING_UNSIGNED_TRAILER));
    }

    static SdkReference.Signed streamed(boolean signed, software.amazon.awssdk.checksums.spi.ChecksumAlgorithm algo,
                                        byte[] payload) {
        return sign(request(SdkHttpMethod.PUT, "/bucket/big%20file.bin")
                        .putHeader("Content-Length", String.valueOf(payload.length)).build(), payload,
                b -> {
                    b.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                            .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signed);
                    if (algo != null) {
                        b.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, algo);
                    }
                });
    }

    @ParameterizedTest
    @MethodSource("variants")
    void decodesSdkBodiesFedWholeByteByByteAndAtRandomSplits(boolean signed,
            software.amazon.awssdk.checksums.spi.ChecksumAlgorithm algo, PayloadMode mode) {
        SdkReference.Signed request = streamed(signed, algo, PAYLOAD);
        Verified verified = SigV4.verify(request.request(), SECRETS, SIGNED_AT);
        assertThat(verified.payloadMode()).isEqualTo(mode);
        assertThat(verified.decodedContentLength()).hasValue(PAYLOAD.length);

        assertThat(decode(verified, request.body(), new int[] {request.body().length})).isEqualTo(PAYLOAD);
        assertThat(decode(verified, request.body(), new int[] {1})).isEqualTo(PAYLOAD);
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            int[] splits = random.ints(50, 1, 40_000).toArray();
            assertThat(decode(verified, request.body(), splits)).isEqualTo(PAYLOAD);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void refusesAFlippedPayloadByte(boolean signed, software.amazon.awssdk.checksums.spi.ChecksumAlgorithm algo,
                                   PayloadMode mode) {
        SdkReference.Signed request = streamed(signed, algo, PAYLOAD);
        Verified verified = SigV4.verify(request.request(), SECRETS, SIGNED_AT);
        byte[] body = request.body().clone();
        int inSecondChunk = 128 * 1024 + 300;
        body[inSecondChunk] ^= 0x01;

        assertThatThrownBy(() -> decode(verified, body, new int[] {4096}))
                .isInstanceOfSatisfying(S3AuthException.class, e -> assertThat(e.code())
                        .isEqualTo(signed ? "SignatureDoesNotMatch" : "BadDigest"));
    }

    @Test
    void refusesAWrongTrailingChecksum() {
        SdkReference.Signed request = streamed(false, DefaultChecksumAlgorithm.CRC32, PAYLOAD);
        Verified verified = SigV4.verify(request.request(), SECRETS, SIGNED_AT);
        String body = new String(request.body(), StandardCharsets.ISO_8859_1);
        int at = body.indexOf("x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
        String tampered = body.substring(0, at) + "AAAAAA==" + body.substring(at + 8);

        assertThatThrownBy(() -> decode(verified, tampered.getBytes(StandardCharsets.ISO_8859_1), new int[] {999}))
                .isInstanceOfSatisfying(S3AuthException.class, e -> assertThat(e.code()).isEqualTo("BadDigest"));
    }

    @Test
    void refusesAChangedTrailerUnderATrailerSignature() {
        byte[] small = "small".getBytes(StandardCharsets.UTF_8);
        SdkReference.Signed request = streamed(true, DefaultChecksumAlgorithm.CRC32, small);
        Verified verified = SigV4.verify(request.request(), SECRETS, SIGNED_AT);
        String body = new String(request.body(), StandardCharsets.ISO_8859_1);
        String tampered = body.replace("x-amz-checksum-crc32:", "x-amz-checksum-crc32: ");
        assertThat(decode(verified, tampered.getBytes(StandardCharsets.ISO_8859_1), new int[] {3}))
                .as("whitespace around a trailer value is not part of the canonical form").isEqualTo(small);

        String wrongSignature = body.replaceAll("x-amz-trailer-signature:[0-9a-f]{64}",
                "x-amz-trailer-signature:" + "0".repeat(64));
        assertThatThrownBy(() -> decode(verified, wrongSignature.getBytes(StandardCharsets.ISO_8859_1),
                new int[] {3})).isInstanceOfSatisfying(S3AuthException.class,
                        e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    void refusesATruncatedBodyOnlyAtFinish() {
        SdkReference.Signed request = streamed(true, null, PAYLOAD);
        Verified verified = SigV4.verify(request.request(), SECRETS, SIGNED_AT);
        AwsChunkedDecoder decoder = AwsChunkedDecoder.forRequest(verified);
        byte[] body = request.body();

        decoder.feed(ByteBuffer.wrap(body, 0, body.length - 10));

        assertThatThrownBy(decoder::finish).isInstanceOfSatisfying(S3AuthException.class,
                e -> assertThat(e.code()).isEqualTo("IncompleteBody"));
    }

    @Test
    void refusesADecodedLengthThatDisagreesWithTheHeader() {
        byte[] small = "twelve bytes".getBytes(StandardCharsets.UTF_8);
        SdkReference.Signed request = streamed(false, DefaultChecksumAlgorithm.CRC32, small);
        Verified honest = SigV4.verify(request.request(), SECRETS, SIGNED_AT);
        Verified lying = new Verified(honest.accessKey(), honest.credential(), honest.timestamp(),
                honest.signingKey(), honest.seedSignature(), honest.payloadMode(), honest.expectedSha256(),
                honest.trailerChecksum(), java.util.OptionalLong.of(11), false);

        assertThat(decode(honest, request.body(), new int[] {5})).isEqualTo(small);
        assertThatThrownBy(() -> decode(lying, request.body(), new int[] {5}))
                .isInstanceOfSatisfying(S3AuthException.class, e -> assertThat(e.code()).isEqualTo("IncompleteBody"));
    }

    /** Feeds {@code body} in pieces of the given sizes (cycled), finishes, and returns the decoded bytes. */
    static byte[] decode(Verified verified, byte[] body, int[] sizes) {
        AwsChunkedDecoder decoder = AwsChunkedDecoder.forRequest(verified);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] wire = body.clone();
        int offset = 0;
        for (int i = 0; offset < body.length; i++) {
            int n = Math.min(sizes[i % sizes.length], body.length - offset);
            ByteBuffer piece = ByteBuffer.wrap(wire, offset, n).slice();
            for (ByteBuffer slice : decoder.feed(piece)) {
                byte[] bytes = new byte[slice.remaining()];
                slice.get(bytes);
                out.writeBytes(bytes);
            }
            assertThat(piece.hasRemaining()).isFalse();
            offset += n;
        }
        decoder.finish();
        assertThat(decoder.decodedLength()).isEqualTo(out.size());
        return out.toByteArray();
    }
}
