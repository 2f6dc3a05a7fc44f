package io.camber.s3.web;

import io.camber.s3.object.StoredObject;
import org.springframework.http.HttpHeaders;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since as S3 applies them to GET and HEAD (RFC 9110
 * order: a matching If-Match overrides If-Unmodified-Since, a present If-None-Match overrides If-Modified-Since).
 */
final class Preconditions {
    /** What the preconditions decide. */
    enum Outcome { PROCEED, NOT_MODIFIED }

    private Preconditions() {
    }

    static Outcome check(HttpHeaders h, StoredObject object) {
        String etag = object.meta().etag();
        // HTTP dates have whole seconds: compare at that precision, or a file is always "modified since" itself
        Instant modified = Instant.ofEpochSecond(object.lastModified().getEpochSecond());
        String ifMatch = h.getFirst(HttpHeaders.IF_MATCH);
        if (ifMatch != null) {
            if (!matches(ifMatch, etag)) {
                throw failed("If-Match", "its ETag is \"" + etag + "\"");
            }
        } else {
            Instant unmodifiedSince = date(h.getFirst(HttpHeaders.IF_UNMODIFIED_SINCE));
            if (unmodifiedSince != null && modified.isAfter(unmodifiedSince)) {
                throw failed("If-Unmodified-Since", "it was modified at " + S3Responses.http(modified));
            }
        }
        String ifNoneMatch = h.getFirst(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return matches(ifNoneMatch, etag) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        Instant modifiedSince = date(h.getFirst(HttpHeaders.IF_MODIFIED_SINCE));
        return modifiedSince != null && !modified.isAfter(modifiedSince) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
    }

    private static boolean matches(String header, String etag) {
        return Arrays.stream(header.split(",")).map(String::strip)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.replace("\"", "").equals(etag));
    }

    /** A date S3 would honour, or null: an unparsable date is ignored, as RFC 9110 says. */
    private static Instant date(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static S3Exception failed(String header, String why) {
        return new S3Exception(S3Error.PRECONDITION_FAILED, "the object does not meet " + header + ": " + why);
    }
}
