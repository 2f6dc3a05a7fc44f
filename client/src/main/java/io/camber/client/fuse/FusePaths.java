package io.camber.client.fuse;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.NameRules;
import java.nio.charset.StandardCharsets;

/** The absolute, normalized paths libfuse hands to callbacks, split into parent and name. */
final class FusePaths {
    private FusePaths() {
    }

    /** "/a/b" → "/a"; "/a" → "/". */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** "/a/b" → "b", refused as Linux would when longer than NAME_MAX bytes. */
    static String name(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        checkLength(name);
        return name;
    }

    /** "/a" + "b" → "/a/b". */
    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /**
     * The kernel sends names up to FUSE's own 1024-byte limit, so a name longer than NAME_MAX reaches us and must be
     * refused here with the errno local file systems give (the meta-service would answer the same, one round trip
     * later).
     */
    static void checkLength(String name) {
        if (name.length() > NameRules.NAME_MAX / 4 && name.getBytes(StandardCharsets.UTF_8).length > NameRules.NAME_MAX) {
            throw FsException.of(FsError.ENAMETOOLONG, "name is longer than " + NameRules.NAME_MAX + " bytes");
        }
    }

    /** Whether {@code path} is {@code ancestor} or lies below it. */
    static boolean isWithin(String path, String ancestor) {
        return path.equals(ancestor) || ancestor.equals("/") || path.startsWith(ancestor + "/");
    }
}
