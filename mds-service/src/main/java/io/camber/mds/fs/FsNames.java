package io.camber.mds.fs;

import io.camber.common.CamberException;

import java.util.regex.Pattern;

/**
 * The rule for file-system names. Names travel in mount commands, URLs and (later) S3 bucket names, so they are
 * kept to characters that need no quoting anywhere: letters, digits, '.', '_' and '-', starting with a letter or a
 * digit, at most 64 characters.
 */
public final class FsNames {
    public static final int MAX_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private FsNames() {
    }

    /** Returns the name when it is valid; INVALID_ARGUMENT saying what is wrong otherwise. */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw CamberException.invalid("file system name is missing: give one such as demo");
        }
        if (name.length() > MAX_LENGTH) {
            throw CamberException.invalid("file system name is " + name.length() + " characters long; use at most "
                    + MAX_LENGTH);
        }
        if (!NAME.matcher(name).matches()) {
            throw CamberException.invalid("file system name '" + printable(name) + "' is not allowed: use letters,"
                    + " digits, '.', '_' and '-', starting with a letter or a digit");
        }
        return name;
    }

    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                : new String(Character.toChars(c))));
        return sb.toString();
    }
}
