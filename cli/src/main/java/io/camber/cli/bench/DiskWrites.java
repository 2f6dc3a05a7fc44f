package io.camber.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Bytes written to the disks that hold the chunk services' data directories, from the devices' own counters.
 * Not {@code /proc/<pid>/io write_bytes}: that charges a whole large folio (up to 1 MiB on ext4) when a clean one is
 * first dirtied, so a 4 KiB append into a preallocated Raft segment looked like 1 MiB. The device counter sees
 * every writer on the disk, so other IO in the same window counts too.
 */
public final class DiskWrites {

    private final List<BlockDevice> devices;

    DiskWrites(List<BlockDevice> devices) {
        this.devices = List.copyOf(devices);
    }

    /** The distinct disks holding dirs; a dir on no block device is skipped with a note on err. */
    public static DiskWrites forDirectories(List<Path> dirs, PrintWriter err) {
        return forDirectories(dirs, Path.of("/sys"), Path.of("/proc/self/mountinfo"), err);
    }

    static DiskWrites forDirectories(List<Path> dirs, Path sysfs, Path mountinfo, PrintWriter err) {
        List<BlockDevice> devices = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try {
                BlockDevice.holding(dir, sysfs, mountinfo).ifPresentOrElse(d -> {
                    if (!devices.contains(d)) {
                        devices.add(d);
                    }
                }, () -> err.println("bench: " + dir + " is on no block device that " + sysfs
                        + " shows: disk bytes per client byte will be n/a"));
            } catch (IOException | UnsupportedOperationException e) {
                err.println("bench: cannot find the device of " + dir + " (" + e.getMessage() + ")");
            }
        }
        return new DiskWrites(devices);
    }

    public List<String> deviceNames() {
        return devices.stream().map(BlockDevice::name).toList();
    }

    /** Bytes written so far to all the disks, or empty when there are none or a counter is unreadable. */
    public OptionalLong total() {
        if (devices.isEmpty()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (BlockDevice d : devices) {
            OptionalLong bytes = d.bytesWritten();
            if (bytes.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += bytes.getAsLong();
        }
        return OptionalLong.of(sum);
    }

    /** Disk bytes per client byte, or null when either side is unknown or nothing was written. */
    public static Double ratio(OptionalLong before, OptionalLong after, long clientBytes) {
        if (before.isEmpty() || after.isEmpty() || clientBytes <= 0) {
            return null;
        }
        return (double) (after.getAsLong() - before.getAsLong()) / clientBytes;
    }
}
