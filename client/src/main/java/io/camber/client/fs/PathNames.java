package io.camber.client.fs;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.NameRules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a path into the names to walk, refusing what Linux refuses with its errno. */
final class PathNames {
    /** Linux's PATH_MAX, terminating NUL included. */
    static final int PATH_MAX = 4096;

    private PathNames() {
    }

    /**
     * The components of path, "." dropped and ".." kept for the walk to go up; repeated and trailing slashes are
     * ignored. A path is taken from the root whether or not it starts with '/', since a mount has no working
     * directory.
     */
    static List<String> components(String path) {
        if (path == null || path.isEmpty()) {
            throw FsException.of(FsError.ENOENT, "an empty path names nothing: use \"/\" for the root");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length >= PATH_MAX) {
            throw FsException.of(FsError.ENAMETOOLONG, "path is " + path.getBytes(StandardCharsets.UTF_8).length
                    + " bytes, PATH_MAX is " + PATH_MAX + " with its NUL: use a shorter path");
        }
        if (path.indexOf('\0') >= 0) {
            throw FsException.of(FsError.EINVAL, "path contains NUL: a path is a C string");
        }
        List<String> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!part.equals("..")) {
                NameRules.checkName(part);
            }
            names.add(part);
        }
        return names;
    }
}
