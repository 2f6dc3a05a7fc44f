package io.camber.client.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {

    @Test
    void readsMountPointTypeAndSourceIncludingEscapedSpaces() {
        List<MountTable.Mount> mounts = MountTable.parse(List.of(
                "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "40 22 0:45 / /mnt/my\\040dir rw,nosuid,nodev,relatime shared:30 - fuse.camber camber:demo rw,user_id=0",
                "41 22 0:46 / /tmp/x rw - tmpfs tmpfs rw",
                "garbage"));
        assertThat(mounts).hasSize(3);
        MountTable.Mount camber = mounts.get(1);
        assertThat(camber.dir()).isEqualTo(Path.of("/mnt/my dir"));
        assertThat(camber.type()).isEqualTo("fuse.camber");
        assertThat(camber.source()).isEqualTo("camber:demo");
        assertThat(camber.isCamber()).isTrue();
        assertThat(mounts.get(2).isCamber()).isFalse();
    }

    @Test
    void theRootIsAlwaysAMountPointAndAFreshTempDirIsNot(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThat(MountTable.at(Path.of("/"))).isPresent();
        assertThat(MountTable.at(dir)).isEmpty();
    }

    @Test
    void unescapesOnlyThreeDigitOctal() {
        assertThat(MountTable.unescape("a\\134b\\011c")).isEqualTo("a\\b\tc");
        assertThat(MountTable.unescape("trailing\\04")).isEqualTo("trailing\\04");
    }
}
