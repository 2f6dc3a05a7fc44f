package io.camber.s3.object;

import io.camber.s3.web.S3Exception;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectKeyTest {

    @Test
    void aKeyIsAPathOfSegments() {
        ObjectKey k = ObjectKey.parse("photos/2024/jan.jpg");
        assertThat(k.parents()).containsExactly("photos", "2024");
        assertThat(k.name()).isEqualTo("jan.jpg");
        assertThat(ObjectKey.parse("a b+c=d~é").segments()).containsExactly("a b+c=d~é");
    }

    @Test
    void keysThatCannotBePathsAreRefusedWithS3Codes() {
        for (String bad : new String[] {"", "/lead", "a//b", "a/./b", "a/../b", "..", "trailing/", "nul\0byte"}) {
            assertThatThrownBy(() -> ObjectKey.parse(bad)).as(bad).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
        }
        assertThatThrownBy(() -> ObjectKey.parse("x".repeat(256))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.code()).isEqualTo("KeyTooLongError"));
        assertThatThrownBy(() -> ObjectKey.parse("a/".repeat(600))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.code()).isEqualTo("KeyTooLongError"));
        assertThat(ObjectKey.parse("x".repeat(255)).name()).hasSize(255);
    }
}
