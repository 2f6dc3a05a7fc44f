package io.camber.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDeviceTest {

    /** A real /sys/block/vda/stat line: 17 fields, the 7th is sectors written. */
    static String statLine(long sectorsWritten) {
        return "   52134     8934  4823390    21038   " + 1_201_334 + "   811203 " + sectorsWritten
                + "   2890213        0   934120  3122110        0        0        0        0    41233    210388\n";
    }

    /** glibc's makedev: the encoding stat(2) returns st_dev in. */
    static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    @Test
    void parsesSectorsWrittenAsBytesAndRejectsShortOrBadLines() {
        assertThat(BlockDevice.parseBytesWritten(statLine(98_765_432))).hasValue(98_765_432L * 512);
        assertThat(BlockDevice.parseBytesWritten("1 2 3 4 5 6")).isEmpty();
        assertThat(BlockDevice.parseBytesWritten("1 2 3 4 5 6 x 8")).isEmpty();
    }

    @Test
    void decodesDeviceNumbersIncludingLargeOnes() {
        assertThat(BlockDevice.major(0xfe00)).isEqualTo(254);
        assertThat(BlockDevice.minor(0xfe00)).isZero();
        for (long[] mm : new long[][] {{8, 1}, {259, 3}, {4101, 70_000}, {253, 255}, {253, 256}}) {
            assertThat(BlockDevice.major(makedev(mm[0], mm[1]))).isEqualTo(mm[0]);
            assertThat(BlockDevice.minor(makedev(mm[0], mm[1]))).isEqualTo(mm[1]);
        }
    }

    @Test
    void mapsADirectoryOnAPartitionToItsWholeDisk(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data/chunk-service-1"));
        Path sysfs = tmp.resolve("sys");
        Path disk = Files.createDirectories(sysfs.resolve("devices/pci0000:00/virtio1/block/vdb"));
        Files.writeString(disk.resolve("stat"), statLine(2048));
        Path partition = Files.createDirectories(disk.resolve("vdb1"));
        Files.writeString(partition.resolve("partition"), "1\n");
        Files.writeString(partition.resolve("stat"), statLine(1));
        long dev = (Long) Files.getAttribute(data, "unix:dev");
        Files.createDirectories(sysfs.resolve("dev/block"));
        Files.createSymbolicLink(sysfs.resolve("dev/block/" + BlockDevice.major(dev) + ":" + BlockDevice.minor(dev)),
                Path.of("../../devices/pci0000:00/virtio1/block/vdb/vdb1"));

        BlockDevice device = BlockDevice.holding(data, sysfs, tmp.resolve("no-mountinfo")).orElseThrow();

        assertThat(device.name()).isEqualTo("vdb");
        assertThat(device.bytesWritten()).hasValue(2048L * 512);
    }

    @Test
    void fallsBackToTheMountSourceWhenTheDeviceNumberIsAnonymous(@TempDir Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path sysfs = tmp.resolve("sys");
        Path disk = Files.createDirectories(sysfs.resolve("devices/pci/block/sdz"));
        Files.writeString(disk.resolve("stat"), statLine(7));
        Files.createDirectories(disk.resolve("sdz2"));
        Files.writeString(disk.resolve("sdz2/partition"), "2\n");
        Files.createDirectories(sysfs.resolve("class/block"));
        Files.createSymbolicLink(sysfs.resolve("class/block/sdz2"), Path.of("../../devices/pci/block/sdz/sdz2"));
        Path mountinfo = tmp.resolve("mountinfo");
        Files.writeString(mountinfo, "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
                + "41 27 0:45 / " + tmp.toRealPath() + " rw,relatime shared:1 - btrfs /dev/sdz2 rw,ssd\n");

        BlockDevice device = BlockDevice.holding(data, sysfs, mountinfo).orElseThrow();

        assertThat(device.name()).isEqualTo("sdz");
        assertThat(device.bytesWritten()).hasValue(7L * 512);
    }

    @Test
    void mountSourceTakesTheDeepestMountAndOnlyDevSources() {
        String mountinfo = "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                + "30 27 254:16 / /srv rw - xfs /dev/vdb1 rw\n"
                + "31 27 0:50 / /srv/overlay rw - overlay overlay rw,lowerdir=/a\n"
                + "32 27 0:51 / /srvx rw - ext4 /dev/vdc rw\n";

        assertThat(BlockDevice.mountSource(Path.of("/srv/camber/data"), mountinfo)).hasValue("vdb1");
        assertThat(BlockDevice.mountSource(Path.of("/srvx"), mountinfo)).hasValue("vdc");
        assertThat(BlockDevice.mountSource(Path.of("/home"), mountinfo)).hasValue("vda");
        assertThat(BlockDevice.mountSource(Path.of("/srv/overlay/x"), mountinfo)).isEmpty();
    }
}
