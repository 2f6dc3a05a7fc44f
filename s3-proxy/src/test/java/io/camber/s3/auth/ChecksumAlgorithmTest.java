package io.camber.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Each flexible checksum matches the published check value of its algorithm for "123456789". */
class ChecksumAlgorithmTest {

    private static String check(ChecksumAlgorithm algorithm) {
        RunningChecksum running = algorithm.start();
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        running.update(ByteBuffer.wrap(data, 0, 4));
        running.update(ByteBuffer.wrap(data, 4, 5));
        return HexFormat.of().formatHex(running.value());
    }

    @Test
    void matchesCatalogueCheckValues() {
        assertThat(check(ChecksumAlgorithm.CRC32)).isEqualTo("cbf43926");
        assertThat(check(ChecksumAlgorithm.CRC32C)).isEqualTo("e3069283");
        assertThat(check(ChecksumAlgorithm.CRC64NVME)).isEqualTo("ae8b14860a799888");
        assertThat(check(ChecksumAlgorithm.SHA1)).isEqualTo("f7c3bc1d808e04732adf679965ccc34ca7ae3441");
    }

    @Test
    void namesTheHeaderS3Uses() {
        assertThat(ChecksumAlgorithm.forHeader("X-Amz-Checksum-CRC32C")).contains(ChecksumAlgorithm.CRC32C);
        assertThat(ChecksumAlgorithm.CRC64NVME.headerName()).isEqualTo("x-amz-checksum-crc64nvme");
        assertThat(ChecksumAlgorithm.forHeader("x-amz-checksum-md5")).isEmpty();
    }
}
