package io.camber.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A whole disk in sysfs and its cumulative write counter, field 7 of {@code <sysfs>/block/<dev>/stat} (sectors of
 * 512 bytes, whatever the device's block size). It counts what reached the device from every writer on it.
 *
 * @param name the kernel's name for the disk, e.g. {@code vda}
 * @param stat its stat file
 */
record BlockDevice(String name, Path stat) {

    static final int SECTOR = 512;

    /**
     * The disk holding path: by the path's device number, or, for filesystems with anonymous device numbers such as
     * btrfs, by the source device of the mount that holds it. A partition maps to its parent disk. Empty when the
     * path is on no block device (tmpfs, overlay) or sysfs does not show it.
     */
    static Optional<BlockDevice> holding(Path path, Path sysfs, Path mountinfo) throws IOException {
        long dev = (Long) Files.getAttribute(path, "unix:dev");
        Optional<BlockDevice> byNumber = inSysfs(sysfs.resolve("dev/block/" + major(dev) + ":" + minor(dev)));
        if (byNumber.isPresent() || !Files.isReadable(mountinfo)) {
            return byNumber;
        }
        return mountSource(path.toRealPath(), Files.readString(mountinfo))
                .flatMap(name -> inSysfs(sysfs.resolve("class/block").resolve(name)));
    }

    /** The bytes written so far, or empty when the stat file is unreadable or malformed. */
    OptionalLong bytesWritten() {
        try {
            return parseBytesWritten(Files.readString(stat));
        } catch (IOException | SecurityException e) {
            return OptionalLong.empty();
        }
    }

    /** Sectors written x 512 from a block stat line: reads (4 fields), then writes completed, merged, sectors. */
    static OptionalLong parseBytesWritten(String statLine) {
        String[] fields = statLine.trim().split("\\s+");
        if (fields.length < 7) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[6]) * SECTOR);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The major number of a glibc-encoded dev_t, as st_dev comes from stat(2). */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
    }

    static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
    }

    /** A sysfs device link resolved to its disk: a partition's directory sits inside its disk's. */
    private static Optional<BlockDevice> inSysfs(Path link) {
        if (!Files.exists(link)) {
            return Optional.empty();
        }
        try {
            Path dir = link.toRealPath();
            if (Files.exists(dir.resolve("partition"))) {
                dir = dir.getParent();
            }
            Path stat = dir.resolve("stat");
            return Files.isRegularFile(stat) ? Optional.of(new BlockDevice(dir.getFileName().toString(), stat))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The kernel name of the /dev source of the deepest mount holding path, from /proc/self/mountinfo text. */
    static Optional<String> mountSource(Path path, String mountinfo) {
        String best = null;
        String source = null;
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            String[] left = dash < 0 ? new String[0] : line.substring(0, dash).split(" ");
            if (left.length < 5) {
                continue; // not a mount line: id parent maj:min root point ... - fstype source options
            }
            String point = left[4].replace("\\040", " ");
            if (path.startsWith(point) && (best == null || point.length() >= best.length())) {
                best = point;
                String[] right = line.substring(dash + 3).split(" ");
                source = right.length > 1 ? right[1] : null;
            }
        }
        if (source == null || !source.startsWith("/dev/")) {
            return Optional.empty();
        }
        Path dev = Path.of(source);
        try {
            dev = dev.toRealPath(); // /dev/mapper/vg-lv is a link to /dev/dm-0, the name sysfs knows
        } catch (IOException e) {
            // keep the name as written
        }
        return Optional.of(dev.getFileName().toString());
    }
}
