package io.camber.meta.fs;

import java.nio.charset.StandardCharsets;

/** What a name in a directory may be: POSIX's NAME_MAX of 255 bytes, no '/' or NUL, not "." or "..". */
public final class NameRules {
    public static final int NAME_MAX = 255;
    public static final int SYMLINK_MAX = 4096;
    public static final int XATTR_NAME_MAX = 255;
    public static final int XATTR_VALUE_MAX = 65536;

    private NameRules() {
    }

    /** Refuses a name no directory may hold, with the errno Linux would answer. */
    public static void checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw FsException.of(FsError.EINVAL, "name '" + name + "' is not allowed: use a non-empty name other than . and ..");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw FsException.of(FsError.ENAMETOOLONG, "name is longer than " + NAME_MAX + " bytes: shorten it");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw FsException.of(FsError.EINVAL, "name '" + name.replace("\0", "\\0")
                    + "' contains '/' or NUL: a name is one path component");
        }
    }

    /** Refuses an empty or over-long symlink target. */
    public static void checkSymlinkTarget(String target) {
        if (target == null || target.isEmpty()) {
            throw FsException.of(FsError.EINVAL, "a symlink needs a non-empty target");
        }
        if (target.getBytes(StandardCharsets.UTF_8).length > SYMLINK_MAX) {
            throw FsException.of(FsError.ENAMETOOLONG, "symlink target is longer than " + SYMLINK_MAX + " bytes");
        }
    }

    /** Refuses an xattr name or value Linux would refuse. */
    public static void checkXattr(String name, byte[] value) {
        if (name == null || name.isEmpty()) {
            throw FsException.of(FsError.EINVAL, "an xattr needs a non-empty name such as user.comment");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > XATTR_NAME_MAX) {
            throw FsException.of(FsError.ERANGE, "xattr name is longer than " + XATTR_NAME_MAX + " bytes");
        }
        if (value != null && value.length > XATTR_VALUE_MAX) {
            throw FsException.of(FsError.ENOSPC, "xattr value is larger than " + XATTR_VALUE_MAX + " bytes");
        }
    }
}
