package io.camber.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Malformed {@code aws-chunked} framing is refused without buffering it, whatever the split. */
class AwsChunkedFramingTest {

    private static Verified unsignedTrailer(long decodedLength) {
        return new Verified("AK", new CredentialScope("AK", "20250301", "r", "s3", "aws4_request"),
                "20250301T000000Z", new byte[32], "0".repeat(64), PayloadMode.STREAMING_UNSIGNED_TRAILER,
                Optional.empty(), Optional.of(ChecksumAlgorithm.CRC32), OptionalLong.of(decodedLength), false);
    }

    private static String crc32(String data) {
        CRC32 crc = new CRC32();
        crc.update(data.getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesHandWrittenUnsignedTrailerBody() {
        String body = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:" + crc32("hello world") + "\r\n\r\n";

        assertThat(AwsChunkedDecoderSdkTest.decode(unsignedTrailer(11), ascii(body), new int[] {1}))
                .isEqualTo(ascii("hello world"));
    }

    @Test
    void refusesMalformedFraming() {
        String trailer = "0\r\nx-amz-checksum-crc32:" + crc32("hello") + "\r\n\r\n";
        assertCode("zz\r\nhello\r\n" + trailer, "InvalidRequest");
        assertCode("5\r\nhelloXX" + trailer, "InvalidRequest");
        assertCode("5\nhello\r\n" + trailer, "InvalidRequest");
        assertCode("1".repeat(16) + "\r\n", "InvalidRequest");
        assertCode("5" + ";x".repeat(3000) + "\r\n", "InvalidRequest");
        assertCode("5\r\nhello\r\n0\r\nx-amz-meta-evil:1\r\n\r\n", "MalformedTrailerError");
        assertCode("5\r\nhello\r\n0\r\n\r\n", "MalformedTrailerError");
        assertCode("5\r\nhello\r\n" + trailer + "extra", "InvalidRequest");
        assertCode("6\r\nhello!\r\n0\r\n", "IncompleteBody");
    }

    private static void assertCode(String body, String code) {
        AwsChunkedDecoder decoder = AwsChunkedDecoder.forRequest(unsignedTrailer(5));
        assertThatThrownBy(() -> {
            for (byte b : ascii(body)) {
                decoder.feed(ByteBuffer.wrap(new byte[] {b}));
            }
            decoder.finish();
        }).isInstanceOfSatisfying(S3AuthException.class, e -> assertThat(e.code()).as(body).isEqualTo(code));
    }
}
