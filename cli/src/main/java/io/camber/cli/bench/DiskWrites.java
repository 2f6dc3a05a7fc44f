package io.camber.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Bytes the chunk-service processes sent to storage, from {@code /proc/<pid>/io write_bytes} (counted when a page
 * is dirtied, so it includes writes still in the page cache). Empty when any pid's file cannot be read, as on
 * kernels without task IO accounting or for another user's processes.
 */
public final class DiskWrites {

    private final List<Long> pids;
    private final Path proc;

    public DiskWrites(List<Long> pids) {
        this(pids, Path.of("/proc"));
    }

    DiskWrites(List<Long> pids, Path proc) {
        this.pids = List.copyOf(pids);
        this.proc = proc;
    }

    public boolean isEmpty() {
        return pids.isEmpty();
    }

    /** The sum of write_bytes over all pids, or empty when there are none or one is unreadable. */
    public OptionalLong total() {
        if (pids.isEmpty()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (long pid : pids) {
            OptionalLong bytes;
            try {
                bytes = parseWriteBytes(Files.readString(proc.resolve(Long.toString(pid)).resolve("io")));
            } catch (IOException | SecurityException e) {
                return OptionalLong.empty();
            }
            if (bytes.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += bytes.getAsLong();
        }
        return OptionalLong.of(sum);
    }

    /** The write_bytes field of a /proc/&lt;pid&gt;/io text (not to be confused with cancelled_write_bytes). */
    static OptionalLong parseWriteBytes(String io) {
        for (String line : io.split("\n")) {
            if (line.startsWith("write_bytes:")) {
                try {
                    return OptionalLong.of(Long.parseLong(line.substring("write_bytes:".length()).trim()));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Disk bytes per client byte, or null when either side is unknown or nothing was written. */
    public static Double ratio(OptionalLong before, OptionalLong after, long clientBytes) {
        if (before.isEmpty() || after.isEmpty() || clientBytes <= 0) {
            return null;
        }
        return (double) (after.getAsLong() - before.getAsLong()) / clientBytes;
    }
}
