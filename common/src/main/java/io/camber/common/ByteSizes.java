package io.camber.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints byte sizes such as {@code 10GiB}, {@code 16MiB} or plain byte counts. */
public final class ByteSizes {
    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;
    public static final long TIB = 1024L * GIB;

    private static final Pattern SIZE = Pattern.compile("^\\s*(\\d+)\\s*(?:([kmgtp])(?:ib|b)?|b)?\\s*$");

    private ByteSizes() {
    }

    /** Parses "1073741824", "1GiB", "1G" or "1gb" (all binary units); rejects negatives and garbage. */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw CamberException.invalid("size is missing: give bytes or a unit, e.g. 10GiB");
        }
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw CamberException.invalid("size '" + text + "' is not a size: use bytes or KiB/MiB/GiB/TiB, e.g. 10GiB");
        }
        long unit = m.group(2) == null ? 1L : switch (m.group(2)) {
            case "k" -> KIB;
            case "m" -> MIB;
            case "g" -> GIB;
            case "t" -> TIB;
            case "p" -> 1024L * TIB;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw CamberException.invalid("size '" + text + "' is too large");
        }
    }

    /** Prints the largest binary unit that divides the size exactly, e.g. 16MiB. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        long value = bytes;
        int i = 0;
        while (value != 0 && value % 1024 == 0 && i < units.length - 1) {
            value /= 1024;
            i++;
        }
        return value + units[i];
    }
}
