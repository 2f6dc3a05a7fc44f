package io.camber.s3.object;

import io.camber.s3.web.S3Exception;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {

    @Test
    void rangesAreClampedToTheObjectAsS3Does() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-200", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=95-", 100)).isEqualTo(new ByteRange(95, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-500", 100)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=10-19", 100).contentRange(100)).isEqualTo("bytes 10-19/100");
    }

    @Test
    void ignoredHeadersMeanTheWholeObject() {
        assertThat(ByteRange.parse(null, 100)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isNull();
        assertThat(ByteRange.parse("items=0-1", 100)).isNull();
        assertThat(ByteRange.parse("bytes=9-3", 100)).isNull();
        assertThat(ByteRange.parse("bytes=-", 100)).isNull();
    }

    @Test
    void aRangePastTheEndIsInvalidRange() {
        for (String h : new String[] {"bytes=100-", "bytes=150-160", "bytes=-0"}) {
            assertThatThrownBy(() -> ByteRange.parse(h, 100)).as(h).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.status()).isEqualTo(416));
        }
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(S3Exception.class);
    }
}
