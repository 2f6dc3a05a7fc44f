package io.camber.client.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.NameRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names the client refuses before anything reaches a partition, with the errno Linux answers. */
class NameRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "slash      | a/b    | EINVAL",
            "dot        | .      | EINVAL",
            "dotdot     | ..     | EINVAL",
            "empty      | ''     | EINVAL",
    })
    void refusedNames(String why, String name, FsError error) {
        assertRefused(name, error);
    }

    @org.junit.jupiter.api.Test
    void nulAndLengthLimits() {
        assertRefused("a\0b", FsError.EINVAL);
        assertRefused("n".repeat(256), FsError.ENAMETOOLONG);
        assertRefused("ü".repeat(128), FsError.ENAMETOOLONG);
        NameRules.checkName("n".repeat(255));
        NameRules.checkName("ü".repeat(127));
    }

    private static void assertRefused(String name, FsError error) {
        assertThatThrownBy(() -> NameRules.checkName(name)).isInstanceOfSatisfying(FsException.class,
                e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(error));
    }
}
