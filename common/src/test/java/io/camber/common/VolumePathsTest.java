package io.camber.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumePathsTest {

    @Test
    void rootSplitsIntoNoNamesAndJoinsBack() {
        assertThat(VolumePaths.split("/")).isEmpty();
        assertThat(VolumePaths.join(List.of())).isEqualTo("/");
    }

    @Test
    void nestedPathsSplitIntoTheirNamesInOrder() {
        assertThat(VolumePaths.split("/vol")).containsExactly("vol");
        assertThat(VolumePaths.split("/a/b/c")).containsExactly("a", "b", "c");
        assertThat(VolumePaths.join(List.of("a", "b", "c"))).isEqualTo("/a/b/c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v", "/dir/volume", "/a/b/c/d/e", "/.hidden", "/...", "/a..b", "/a.", "/ spaced name",
            "/caf\u00e9/\u65e5\u672c/\ud83d\ude00", "/with:colon@at+plus"})
    void splitThenJoinGivesTheSamePath(String path) {
        assertThat(VolumePaths.join(VolumePaths.split(path))).isEqualTo(path);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingPathSaysWhatToGive(String path) {
        assertInvalid(path).hasMessageContaining("path is missing").hasMessageContaining("/dir/volume");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vol", "dir/vol", " /vol", "./vol", "../vol"})
    void relativePathsAreRefused(String path) {
        assertInvalid(path).hasMessageContaining("'" + path + "' is not absolute").hasMessageContaining("start it with /");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/a/..", "/a/../b", "/../etc"})
    void dotDotIsRefused(String path) {
        assertInvalid(path).hasMessageContaining("contains '..'").hasMessageContaining("canonical path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.", "/a/.", "/a/./b"})
    void dotIsRefused(String path) {
        assertInvalid(path).hasMessageContaining("contains '.'").hasMessageContaining("canonical path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//", "/a//b", "//a", "/a/", "/a/b/", "///"})
    void emptyNamesAndTrailingSlashesAreRefused(String path) {
        assertInvalid(path).hasMessageContaining("'" + path + "' has an empty name");
    }

    @Test
    void nulIsRefusedAndEscapedInTheMessage() {
        assertInvalid("/a\0b").hasMessageContaining("'/a\\x00b'").hasMessageContaining("control character")
                .hasMessageNotContaining("\0");
    }

    @ParameterizedTest
    @ValueSource(chars = {'\u0001', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f'})
    void controlCharactersAreRefusedAndEscaped(char c) {
        String path = "/dir/x" + c + "y";
        String escaped = String.format("\\x%02x", (int) c);
        assertInvalid(path).hasMessageContaining("'/dir/x" + escaped + "y'").hasMessageContaining("control character")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(String.valueOf(c)));
    }

    @Test
    void notAbsoluteMessageEscapesControlCharactersToo() {
        assertInvalid("a\nb").hasMessageContaining("'a\\x0ab'");
    }

    @Test
    void namesUpTo255BytesAreAcceptedAndLongerRefused() {
        String max = "n".repeat(VolumePaths.MAX_NAME_BYTES);
        assertThat(VolumePaths.split("/d/" + max)).containsExactly("d", max);

        String tooLong = "n".repeat(VolumePaths.MAX_NAME_BYTES + 1);
        assertInvalid("/d/" + tooLong).hasMessageContaining("is longer than 255 bytes")
                .hasMessageContaining("'" + "n".repeat(32) + "...'")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
    }

    @Test
    void nameLengthIsCountedInUtf8Bytes() {
        String threeByteChars = "\u20ac".repeat(85); // 255 bytes, 85 chars
        assertThat(VolumePaths.split("/" + threeByteChars)).containsExactly(threeByteChars);

        String twoByteChars = "\u00e9".repeat(128); // 256 bytes, only 128 chars
        assertInvalid("/" + twoByteChars).hasMessageContaining("longer than 255 bytes");
    }

    @Test
    void pathsUpTo4096BytesAreAcceptedAndLongerRefused() {
        String fifteenNames = ("/" + "x".repeat(255)).repeat(15); // 3840 characters
        String last = "y".repeat(VolumePaths.MAX_PATH_BYTES - fifteenNames.length() - 1);
        String exact = fifteenNames + "/" + last;
        assertThat(exact).hasSize(VolumePaths.MAX_PATH_BYTES);
        assertThat(VolumePaths.split(exact)).hasSize(16).last().isEqualTo(last);

        assertInvalid(exact + "z").hasMessage("path is longer than 4096 bytes (UTF-8)");
        // 30 names of 100 two-byte characters: 3030 characters but 6030 bytes.
        assertInvalid(("/" + "\u00e9".repeat(100)).repeat(30)).hasMessageContaining("4096 bytes");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String path) {
        return assertThatThrownBy(() -> VolumePaths.split(path))
                .isInstanceOfSatisfying(CamberException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
