package io.camber.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FusePathsAndErrnoTest {

    @Test
    void splitsLibfusePaths() {
        assertThat(FusePaths.parent("/a/b")).isEqualTo("/a");
        assertThat(FusePaths.parent("/a")).isEqualTo("/");
        assertThat(FusePaths.name("/a/b")).isEqualTo("b");
        assertThat(FusePaths.child("/", "a")).isEqualTo("/a");
        assertThat(FusePaths.child("/a", "b")).isEqualTo("/a/b");
        assertThat(FusePaths.isWithin("/a/b", "/a")).isTrue();
        assertThat(FusePaths.isWithin("/ab", "/a")).isFalse();
    }

    @Test
    void aNameOverNameMaxBytesIsEnametoolongEvenInMultibyteCharacters() {
        assertThat(FusePaths.name("/" + "x".repeat(255))).hasSize(255);
        assertThatThrownBy(() -> FusePaths.name("/" + "x".repeat(256)))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.error()).isEqualTo(FsError.ENAMETOOLONG));
        assertThatThrownBy(() -> FusePaths.name("/d/" + "é".repeat(128)))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.error()).isEqualTo(FsError.ENAMETOOLONG));
    }

    @Test
    void errnosComeFromTheFileSystemsAnswerThroughAnyWrapping() {
        FsException notEmpty = FsException.of(FsError.ENOTEMPTY, "x");
        assertThat(FuseErrno.of(new CompletionException(new ExecutionException(notEmpty)))).isEqualTo(-39);
        assertThat(FuseErrno.expected(new CompletionException(notEmpty))).isTrue();
        assertThat(FuseErrno.of(new CamberException(ErrorCode.NO_SPACE, "full"))).isEqualTo(-28);
        assertThat(FuseErrno.of(new CamberException(ErrorCode.FENCED, "newer writer"))).isEqualTo(-1);
        assertThat(FuseErrno.of(new IllegalStateException("no answer"))).isEqualTo(-5);
        assertThat(FuseErrno.expected(new IllegalStateException("no answer"))).isFalse();
        assertThat(FuseErrno.of(new FuseErrno.Refused(FuseErrno.EBADF, "bad"))).isEqualTo(-9);
    }
}
