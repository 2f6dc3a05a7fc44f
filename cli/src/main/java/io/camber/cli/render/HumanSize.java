package io.camber.cli.render;

/** Sizes for people: whole units when they divide evenly (16MiB), else one decimal (93.1GiB). */
public final class HumanSize {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private HumanSize() {
    }

    public static String of(long bytes) {
        int unit = 0;
        long scale = 1;
        while (unit < UNITS.length - 1 && bytes >= scale * 1024) {
            scale *= 1024;
            unit++;
        }
        if (bytes % scale == 0) {
            return bytes / scale + UNITS[unit];
        }
        return String.format(java.util.Locale.ROOT, "%.1f%s", (double) bytes / scale, UNITS[unit]);
    }
}
