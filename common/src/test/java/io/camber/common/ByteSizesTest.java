package io.camber.common;

import static io.camber.common.ByteSizes.GIB;
import static io.camber.common.ByteSizes.KIB;
import static io.camber.common.ByteSizes.MIB;
import static io.camber.common.ByteSizes.TIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {
    private static final long PIB = 1024L * TIB;

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            0                    | 0
            1                    | 1
            1073741824           | 1073741824
            9223372036854775807  | 9223372036854775807
            10B                  | 10
            1k                   | 1024
            1KiB                 | 1024
            64KiB                | 65536
            16MiB                | 16777216
            16M                  | 16777216
            16mb                 | 16777216
            1GiB                 | 1073741824
            1G                   | 1073741824
            1gb                  | 1073741824
            1GB                  | 1073741824
            10GiB                | 10737418240
            1TiB                 | 1099511627776
            1PiB                 | 1125899906842624
            8191PiB              | 9222246136947933184
            8388607TiB           | 9223370937343148032
            """)
    void parsesPlainBytesAndBinaryUnits(String text, long expected) {
        assertThat(ByteSizes.parse(text)).isEqualTo(expected);
    }

    @Test
    void toleratesSpacesAroundAndBeforeTheUnit() {
        assertThat(ByteSizes.parse(" 16 MiB ")).isEqualTo(16 * MIB);
        assertThat(ByteSizes.parse("\t2GiB\n")).isEqualTo(2 * GIB);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void missingSizeSaysWhatToGive(String text) {
        assertInvalid(text).hasMessageContaining("size is missing").hasMessageContaining("10GiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-1GiB", "- 5", "+5"})
    void negativeOrSignedSizesAreRefused(String text) {
        assertInvalid(text).hasMessageContaining("'" + text + "' is not a size").hasMessageContaining("KiB/MiB/GiB/TiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10i", "10ib", "10iB", "5 ib", "abc", "GiB", "1.5GiB", "1,000", "1e9", "0x10", "1XiB", "1GiBs", "1 G i B", "1GiB 2",
            "ten", "1KB2", "\u0661\u0660"})
    void garbageIsRefusedNamingTheInput(String text) {
        assertInvalid(text).hasMessageContaining("'" + text + "'").hasMessageContaining("e.g. 10GiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "99999999999999999999999", "8388608TiB", "8192PiB",
            "9007199254740992KiB"})
    void overflowIsRefusedAsTooLarge(String text) {
        assertInvalid(text).hasMessage("size '" + text + "' is too large");
    }

    @ParameterizedTest(name = "{0} bytes prints as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                    | 0B
            1                    | 1B
            1023                 | 1023B
            1024                 | 1KiB
            1536                 | 1536B
            1048576              | 1MiB
            16777216             | 16MiB
            1073741824           | 1GiB
            1610612736           | 1536MiB
            1099511627776        | 1TiB
            1125899906842624     | 1PiB
            1152921504606846976  | 1024PiB
            9223372036854775807  | 9223372036854775807B
            -1024                | -1KiB
            -9223372036854775808 | -8192PiB
            """)
    void formatsWithTheLargestExactUnit(long bytes, String expected) {
        assertThat(ByteSizes.format(bytes)).isEqualTo(expected);
    }

    @Test
    void formatThenParseRoundTripsNonNegativeSizes() {
        long[] sizes = {0, 1, 1023, KIB, 3 * KIB + 1, 64 * KIB, 16 * MIB, 1536 * MIB, GIB, 10 * GIB, TIB, 1024 * TIB,
                5 * PIB, Long.MAX_VALUE, 8191 * PIB};
        for (long size : sizes) {
            assertThat(ByteSizes.parse(ByteSizes.format(size))).as("round trip of %d", size).isEqualTo(size);
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String text) {
        return assertThatThrownBy(() -> ByteSizes.parse(text))
                .isInstanceOfSatisfying(CamberException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
