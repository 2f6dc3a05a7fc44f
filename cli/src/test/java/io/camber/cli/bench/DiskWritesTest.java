package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskWritesTest {

    private static String io(long writeBytes) {
        return "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 5\nwrite_bytes: " + writeBytes
                + "\ncancelled_write_bytes: 999\n";
    }

    @Test
    void parsesWriteBytesAndNotCancelledWriteBytes() {
        assertThat(DiskWrites.parseWriteBytes(io(438276096))).hasValue(438276096);
        assertThat(DiskWrites.parseWriteBytes("rchar: 1\n")).isEmpty();
    }

    @Test
    void sumsEveryPidAndIsEmptyWhenOneIsUnreadable(@TempDir Path proc) throws IOException {
        for (long pid : new long[] {11, 12}) {
            Files.createDirectories(proc.resolve(Long.toString(pid)));
            Files.writeString(proc.resolve(pid + "/io"), io(pid * 1000));
        }

        assertThat(new DiskWrites(List.of(11L, 12L), proc).total()).hasValue(23_000);
        assertThat(new DiskWrites(List.of(11L, 13L), proc).total()).isEmpty();
        assertThat(new DiskWrites(List.of(), proc).total()).isEmpty();
    }

    @Test
    void ratioIsDiskDeltaOverClientBytesOrNullWhenUnknown() {
        assertThat(DiskWrites.ratio(OptionalLong.of(1000), OptionalLong.of(1000 + 6 * 4096), 4096)).isEqualTo(6.0);
        assertThat(DiskWrites.ratio(OptionalLong.empty(), OptionalLong.of(5), 4096)).isNull();
        assertThat(DiskWrites.ratio(OptionalLong.of(0), OptionalLong.of(5), 0)).isNull();
    }
}
