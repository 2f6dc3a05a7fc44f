package io.camber.mds.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FsNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "a", "0", "Training-Set_2.v1", "x234567890123456789012345678901234567890123456789012345678901234"})
    void plainNamesUpTo64CharactersAreTaken(String name) {
        assertThat(FsNames.check(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a/b", "-lead", ".hidden", "_x", "with space", "nul\0", "tab\t", "ünï", "a:b", "..",
            "x2345678901234567890123456789012345678901234567890123456789012345"})
    void anythingElseIsInvalidArgumentSayingWhatToUse(String name) {
        assertThatThrownBy(() -> FsNames.check(name)).isInstanceOfSatisfying(CamberException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).containsAnyOf("letters", "missing", "at most 64");
            assertThat(e.getMessage()).doesNotContain("\0");
        });
    }
}
