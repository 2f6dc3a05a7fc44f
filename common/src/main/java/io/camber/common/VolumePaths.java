package io.camber.common;

import java.util.ArrayList;
import java.util.List;

/** Validates and splits namespace paths such as {@code /dir/volume}. */
public final class VolumePaths {
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_PATH_BYTES = 4096;

    private VolumePaths() {
    }

    /** Splits an absolute path into its names, refusing empty, relative, dot, dot-dot and control-character names. */
    public static List<String> split(String path) {
        if (path == null || path.isEmpty()) {
            throw CamberException.invalid("path is missing: give an absolute path such as /dir/volume");
        }
        if (path.charAt(0) != '/') {
            throw CamberException.invalid("path '" + printable(path) + "' is not absolute: start it with /");
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw CamberException.invalid("path is longer than " + MAX_PATH_BYTES + " bytes (UTF-8)");
        }
        List<String> names = new ArrayList<>();
        for (String name : path.substring(1).split("/", -1)) {
            if (name.isEmpty()) {
                if (names.isEmpty() && path.length() == 1) {
                    break; // the root itself
                }
                throw CamberException.invalid("path '" + printable(path) + "' has an empty name (// or a trailing /)");
            }
            checkName(name, path);
            names.add(name);
        }
        return names;
    }

    /** Joins names back into the canonical absolute path. */
    public static String join(List<String> names) {
        return "/" + String.join("/", names);
    }

    private static void checkName(String name, String path) {
        if (name.equals(".") || name.equals("..")) {
            throw CamberException.invalid("path '" + printable(path) + "' contains '" + name + "': give a canonical path");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw CamberException.invalid("path '" + printable(path) + "' contains a control character (NUL or below 0x20)");
            }
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw CamberException.invalid("name '" + name.substring(0, 32) + "...' is longer than " + MAX_NAME_BYTES + " bytes");
        }
    }

    private static String printable(String path) {
        StringBuilder sb = new StringBuilder();
        for (char c : path.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
