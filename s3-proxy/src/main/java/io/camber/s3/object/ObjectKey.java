package io.camber.s3.object;

import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An object key as a path under its bucket's directory: segments split at '/'. Keys that cannot be paths are
 * refused here, before anything is written (docs/s3.md lists them).
 *
 * @param key      the key as the client sent it
 * @param segments its path segments; the last one is the file's name
 */
public record ObjectKey(String key, List<String> segments) {
    /** S3's own limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** The file system's limit on one name, in bytes. */
    public static final int MAX_SEGMENT_BYTES = 255;

    public static ObjectKey parse(String key) {
        if (key == null || key.isEmpty()) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the object key is empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3Error.KEY_TOO_LONG, "the key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        if (key.indexOf('\0') >= 0) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the key contains a NUL character, which no file name "
                    + "can hold");
        }
        if (key.endsWith("/")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the key '" + key + "' ends with '/': in Camber a key is "
                    + "a path and '/' separates directories, so it names a directory, not an object");
        }
        List<String> segments = List.of(key.split("/", -1));
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "the key '" + key + "' has an empty, '.' or '..' "
                        + "segment: in Camber a key is a path, so it cannot start with '/', hold '//' or name "
                        + "'.' or '..'");
            }
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new S3Exception(S3Error.KEY_TOO_LONG, "a segment of the key (between two '/') is longer than "
                        + MAX_SEGMENT_BYTES + " bytes, the longest file name the file system holds");
            }
        }
        return new ObjectKey(key, segments);
    }

    /** The directories above the object, outermost first. */
    public List<String> parents() {
        return segments.subList(0, segments.size() - 1);
    }

    public String name() {
        return segments.get(segments.size() - 1);
    }
}
