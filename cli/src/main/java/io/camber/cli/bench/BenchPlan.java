package io.camber.cli.bench;

import io.camber.cli.CliFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code bench chunks} run measures: every copyset mode x size x (write, read) x queue depth, each case
 * bounded by a duration or by an operation count.
 *
 * @param duration per-case wall time, or null when {@code ops} bounds the case
 * @param ops      per-case operation count, or 0 when {@code duration} bounds the case
 */
public record BenchPlan(List<CopysetMode> modes, List<Integer> sizes, List<Integer> depths, Duration duration,
                        long ops) {

    /** Chunk requests must be aligned to this, as the chunk store's IO unit. */
    public static final int ALIGNMENT = 4096;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kib|m|mib)?");

    public BenchPlan {
        modes = List.copyOf(modes);
        sizes = List.copyOf(sizes);
        depths = List.copyOf(depths);
    }

    /** Where the bench chunks live: all in one copyset (one Raft group's pipeline) or spread over every copyset. */
    public enum CopysetMode { ONE, ALL;

        /** Parses one|all|both (case-insensitive) into the modes to run. */
        public static List<CopysetMode> parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "one" -> List.of(ONE);
                case "all" -> List.of(ALL);
                case "both" -> List.of(ONE, ALL);
                default -> throw usage("--copysets '" + text + "' is not one of one, all, both");
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The two halves of every case; reads run after the writes of the same mode and size, on what they wrote. */
    public enum Op { WRITE, READ;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses "4KiB,64KiB,1MiB" (units B, K/KiB, M/MiB; plain numbers are bytes); each must be a positive multiple of 4KiB. */
    public static List<Integer> parseSizes(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : split(text, "--sizes")) {
            Matcher m = SIZE.matcher(part.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw usage("--sizes: '" + part + "' is not a size: use e.g. 4KiB, 64KiB, 1MiB");
            }
            long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
                case "k", "kib" -> 1024L;
                case "m", "mib" -> 1024L * 1024;
                default -> 1L;
            };
            long bytes;
            try {
                bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            } catch (ArithmeticException | NumberFormatException e) {
                throw usage("--sizes: '" + part + "' is too large: use at most 16MiB (one chunk)");
            }
            if (bytes <= 0 || bytes % ALIGNMENT != 0 || bytes > Integer.MAX_VALUE) {
                throw usage("--sizes: '" + part + "' is not a positive multiple of 4KiB: chunk IO is 4KiB aligned");
            }
            sizes.add((int) bytes);
        }
        return sizes;
    }

    /** Parses "1,8,32" into queue depths, each at least 1. */
    public static List<Integer> parseDepths(String text) {
        List<Integer> depths = new ArrayList<>();
        for (String part : split(text, "--depths")) {
            int depth;
            try {
                depth = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw usage("--depths: '" + part + "' is not a number: use e.g. 1,8,32");
            }
            if (depth < 1 || depth > 1024) {
                throw usage("--depths: " + depth + " is outside 1..1024 (the chunk client keeps at most 1024 in flight)");
            }
            depths.add(depth);
        }
        return depths;
    }

    /** Every case in run order: per mode and size, the writes at each depth, then the reads at each depth. */
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (CopysetMode mode : modes) {
            for (int size : sizes) {
                for (Op op : Op.values()) {
                    for (int depth : depths) {
                        cases.add(new BenchCase(mode, op, size, depth));
                    }
                }
            }
        }
        return cases;
    }

    public int largestSize() {
        return sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    public int largestDepth() {
        return depths.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** One measured case. */
    public record BenchCase(CopysetMode mode, Op op, int size, int depth) {
    }

    private static List<String> split(String text, String option) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.trim());
            }
        }
        if (parts.isEmpty()) {
            throw usage(option + " is empty: give a comma-separated list");
        }
        return parts;
    }

    private static CliFailure usage(String message) {
        return new CliFailure(CliFailure.USAGE, message);
    }
}
