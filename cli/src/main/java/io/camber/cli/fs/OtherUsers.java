package io.camber.cli.fs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a mount may let users other than its owner in (FUSE's allow_other): always for root, for anyone else
 * only when /etc/fuse.conf says user_allow_other, or fusermount refuses the whole mount.
 */
final class OtherUsers {
    static final Path FUSE_CONF = Path.of("/etc/fuse.conf");

    private OtherUsers() {
    }

    static boolean allowed(PrintWriter out) {
        if (uid() == 0 || userAllowOther(FUSE_CONF)) {
            return true;
        }
        out.println("note: only you can use this mount (add user_allow_other to " + FUSE_CONF
                + " to let other users in, with the permission bits checked by the kernel)");
        return false;
    }

    static boolean userAllowOther(Path conf) {
        try {
            return Files.readAllLines(conf).stream().map(String::strip).anyMatch(l -> l.equals("user_allow_other"));
        } catch (IOException e) {
            return false;
        }
    }

    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
