package io.camber.client.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a file system is mounted: cache lifetimes (in the kernel and in the adapter), the largest write the kernel
 * sends, and how long one operation may wait for the cluster.
 *
 * @param entryTimeout how long a name → inode answer is trusted (kernel dentry cache and the adapter's path cache)
 * @param attrTimeout  how long attributes are trusted by the adapter's attribute cache (keyed by inode); the kernel
 *                     is told 0, see {@link #mountArgs}
 * @param maxWrite     bytes per write request; libfuse 2 caps it at 128 KiB (32 pages), so that is the default
 * @param opTimeout    an operation still unanswered after this fails with EIO instead of hanging the caller
 * @param allowOther   users other than the mounting one may enter the mount (root may always set it; others only
 *                     with user_allow_other in /etc/fuse.conf)
 */
public record FuseOptions(String fsName, Duration entryTimeout, Duration attrTimeout, int maxWrite,
                          Duration opTimeout, boolean allowOther) {

    /** libfuse 2's ceiling for max_write; larger values are silently lowered by the kernel. */
    public static final int MAX_WRITE_LIMIT = 128 * 1024;

    public FuseOptions {
        if (fsName == null || fsName.isBlank()) {
            throw new IllegalArgumentException("a mount needs the file system's name");
        }
        if (entryTimeout.isNegative() || attrTimeout.isNegative()) {
            throw new IllegalArgumentException("entry and attribute timeouts must be 0 or more seconds");
        }
        if (maxWrite < 4096 || maxWrite > MAX_WRITE_LIMIT || maxWrite % 4096 != 0) {
            throw new IllegalArgumentException("max-write must be a multiple of 4096 between 4096 and "
                    + MAX_WRITE_LIMIT + ", not " + maxWrite);
        }
        if (opTimeout.isNegative() || opTimeout.isZero()) {
            throw new IllegalArgumentException("the operation timeout must be positive");
        }
    }

    /** One-second caches (the FUSE default), 128 KiB writes, two minutes per operation. */
    public static FuseOptions defaults(String fsName) {
        return new FuseOptions(fsName, Duration.ofSeconds(1), Duration.ofSeconds(1), MAX_WRITE_LIMIT,
                Duration.ofMinutes(2), true);
    }

    public FuseOptions withTimeouts(Duration entry, Duration attr) {
        return new FuseOptions(fsName, entry, attr, maxWrite, opTimeout, allowOther);
    }

    /**
     * The libfuse command-line options of this mount. Why each one:
     * <ul>
     *   <li>{@code use_ino}: stat and readdir report Camber's inode numbers, so hard links share an st_ino and
     *       tools that detect them (tar, rsync -H, cp -a, git) work.</li>
     *   <li>{@code default_permissions}: the kernel checks mode bits, owners and the sticky bit against the
     *       attributes we report, as for a local file system; the adapter then need not repeat POSIX's rules.</li>
     *   <li>{@code allow_other}: users other than the one who mounted may use the mount (the point of permission
     *       bits); only root may set it unless /etc/fuse.conf has user_allow_other.</li>
     *   <li>{@code big_writes} and {@code max_write}: up to 128 KiB per write request instead of 4 KiB.</li>
     *   <li>no {@code hard_remove}: an open file that is unlinked is renamed to .fuse_hidden* by libfuse and
     *       removed at its last close, so it stays readable and writable until then, as POSIX wants.</li>
     *   <li>{@code attr_timeout=0} for the kernel: libfuse's high-level API gives each path its own kernel inode,
     *       so two hard links are two kernel inodes whose cached sizes would disagree after a write through one
     *       of them (a read through the other was cut at the old size). The kernel therefore asks every time and
     *       the adapter answers from its own cache, which is keyed by Camber inode and so right for every name.</li>
     * </ul>
     */
    public List<String> mountArgs() {
        List<String> args = new ArrayList<>();
        args.add("-o");
        List<String> options = new ArrayList<>(List.of(
                "fsname=camber:" + fsName,
                "subtype=camber",
                "use_ino",
                "default_permissions"));
        if (allowOther) {
            options.add("allow_other");
        }
        options.addAll(List.of(
                "big_writes",
                "max_write=" + maxWrite,
                "entry_timeout=" + seconds(entryTimeout),
                "negative_timeout=0",
                "attr_timeout=0"));
        args.add(String.join(",", options));
        return args;
    }

    /** A duration as libfuse's seconds with a fraction. */
    static String seconds(Duration d) {
        return d.toNanos() % 1_000_000_000L == 0 ? Long.toString(d.toSeconds())
                : String.format(java.util.Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }
}
