package io.camber.client.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNamesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/                | ''",
            "/a/b             | a,b",
            "a/b              | a,b",
            "//a///b/         | a,b",
            "/a/./b/.         | a,b",
            "/a/../b          | a,..,b",
            "/..              | ..",
    })
    void splitsIntoNamesDroppingDotsAndEmptyComponents(String path, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(","));
        assertThat(PathNames.components(path)).isEqualTo(want);
    }

    @Test
    void refusesWhatLinuxRefusesWithItsErrno() {
        assertError("", FsError.ENOENT);
        assertError(null, FsError.ENOENT);
        assertError("/a\0b", FsError.EINVAL);
        assertError("/" + "x".repeat(256), FsError.ENAMETOOLONG);
        assertError("/" + "é".repeat(128), FsError.ENAMETOOLONG); // 256 bytes in UTF-8
        assertError(("/" + "d".repeat(200)).repeat(21), FsError.ENAMETOOLONG); // 4221 bytes
        assertThat(PathNames.components("/" + "x".repeat(255))).hasSize(1);
        assertThat(PathNames.components(("/" + "d".repeat(99)).repeat(40))).hasSize(40); // 4000 bytes
    }

    private static void assertError(String path, FsError error) {
        assertThatThrownBy(() -> PathNames.components(path)).isInstanceOfSatisfying(FsException.class,
                e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(error));
    }
}
