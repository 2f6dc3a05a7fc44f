package io.camber.client.fuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The kernel's list of mounts as /proc/self/mountinfo shows it: is a directory a mount point, and of what. */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One mount: where, its type ("fuse.camber" for ours) and its source ("camber:NAME"). */
    public record Mount(Path dir, String type, String source) {
        public boolean isCamber() {
            return type.equals("fuse.camber");
        }
    }

    private MountTable() {
    }

    /** The mount whose mount point is dir (the last one, when several are stacked), if any. */
    public static Optional<Mount> at(Path dir) {
        Path want = dir.toAbsolutePath().normalize();
        Mount found = null;
        for (Mount m : read()) {
            if (m.dir.equals(want)) {
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }

    static List<Mount> read() {
        try {
            return parse(Files.readAllLines(MOUNTINFO));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTINFO + ": is /proc mounted?", e);
        }
    }

    /** Lines like {@code 36 35 0:40 / /mnt/x rw,relatime shared:1 - fuse.camber camber:demo rw,...}. */
    static List<Mount> parse(List<String> lines) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            mounts.add(new Mount(Path.of(unescape(f[4])), unescape(f[dash + 1]), unescape(f[dash + 2])));
        }
        return mounts;
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo octal escapes. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
