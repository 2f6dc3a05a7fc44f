package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskWritesTest {

    @Test
    void countsADiskSharedByEveryDataDirectoryOnce(@TempDir Path tmp) throws IOException {
        List<Path> dirs = List.of(Files.createDirectories(tmp.resolve("data/chunk-service-1")),
                Files.createDirectories(tmp.resolve("data/chunk-service-2")), tmp.resolve("data/not-created"));
        Path sysfs = tmp.resolve("sys");
        Path disk = Files.createDirectories(sysfs.resolve("devices/block/vda"));
        Files.writeString(disk.resolve("stat"), BlockDeviceTest.statLine(100));
        long dev = (Long) Files.getAttribute(tmp, "unix:dev");
        Files.createDirectories(sysfs.resolve("dev/block"));
        Files.createSymbolicLink(sysfs.resolve("dev/block/" + BlockDevice.major(dev) + ":" + BlockDevice.minor(dev)),
                Path.of("../../devices/block/vda"));
        StringWriter err = new StringWriter();

        DiskWrites writes = DiskWrites.forDirectories(dirs, sysfs, tmp.resolve("none"), new PrintWriter(err, true));

        assertThat(writes.deviceNames()).containsExactly("vda");
        assertThat(writes.total()).hasValue(100L * 512);
        Files.writeString(disk.resolve("stat"), BlockDeviceTest.statLine(100 + 48));
        assertThat(writes.total()).hasValue(148L * 512);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void isEmptyWithoutDevicesOrWhenACounterIsUnreadable(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        DiskWrites none = DiskWrites.forDirectories(List.of(tmp), tmp.resolve("empty-sysfs"), tmp.resolve("none"),
                new PrintWriter(err, true));
        DiskWrites gone = new DiskWrites(List.of(new BlockDevice("vdz", tmp.resolve("missing/stat"))));

        assertThat(none.total()).isEmpty();
        assertThat(err.toString()).contains(tmp.toString(), "n/a");
        assertThat(gone.total()).isEmpty();
    }

    @Test
    void ratioIsDiskDeltaOverClientBytesOrNullWhenUnknown() {
        assertThat(DiskWrites.ratio(OptionalLong.of(1000), OptionalLong.of(1000 + 6 * 4096), 4096)).isEqualTo(6.0);
        assertThat(DiskWrites.ratio(OptionalLong.empty(), OptionalLong.of(5), 4096)).isNull();
        assertThat(DiskWrites.ratio(OptionalLong.of(0), OptionalLong.of(5), 0)).isNull();
    }
}
