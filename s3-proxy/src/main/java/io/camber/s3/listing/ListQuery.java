package io.camber.s3.listing;

import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;

/**
 * What a ListObjects (v1 or v2) asks for.
 *
 * @param prefix     only keys starting with it ("" for all)
 * @param delimiter  keys with it after the prefix roll up into one common prefix; null for none
 * @param startAfter only keys (and common prefixes) after it in key order ("" for all)
 * @param maxKeys    at most this many keys and common prefixes together (1 to 1000)
 */
public record ListQuery(String prefix, String delimiter, String startAfter, int maxKeys) {
    public static final int MAX_KEYS = 1000;

    public ListQuery {
        prefix = prefix == null ? "" : prefix;
        delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        startAfter = startAfter == null ? "" : startAfter;
        if (maxKeys < 0) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "max-keys must be 0 or more, not " + maxKeys);
        }
        maxKeys = Math.min(maxKeys, MAX_KEYS);
    }

    /** Parses max-keys as S3 does: absent means 1000, more than 1000 means 1000. */
    public static int maxKeys(String text) {
        if (text == null || text.isEmpty()) {
            return MAX_KEYS;
        }
        try {
            return (int) Math.min(Long.parseLong(text), MAX_KEYS);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "max-keys must be a number, not '" + text + "'");
        }
    }
}
