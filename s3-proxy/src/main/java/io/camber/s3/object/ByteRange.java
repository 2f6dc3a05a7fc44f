package io.camber.s3.object;

import io.camber.s3.web.S3Error;
import io.camber.s3.web.S3Exception;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A single byte range of a GET (RFC 9110), as S3 reads it: end inclusive, clamped to the object. */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /**
     * The range a Range header asks of an object of size bytes; null for the whole object (no header, or one S3
     * ignores: several ranges or bad syntax). A range that starts past the end is InvalidRange (416).
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0) {
                    throw unsatisfiable(header, size);
                }
                return size == 0 ? null : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (m.group(2).length() > 0 && Long.parseLong(m.group(2)) < first) {
                return null; // an invalid range is ignored, as RFC 9110 asks
            }
            if (first >= size) {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null; // digits beyond a long: not a range this server can honour, so the whole object
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The Content-Range value of a 206. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    private static S3Exception unsatisfiable(String header, long size) {
        return new S3Exception(S3Error.INVALID_RANGE, "the range '" + header + "' starts past the end of the "
                + size + "-byte object");
    }
}
