package io.camber.s3.web;

import io.camber.s3.object.StoredObject;
import org.springframework.http.HttpHeaders;

/**
 * x-amz-copy-source-if-* on CopyObject: the same rules as GET's conditionals, applied to the source, except that a
 * failed none-match or modified-since is 412 too (there is no 304 for a copy).
 */
final class CopyPreconditions {
    private static final String PREFIX = "x-amz-copy-source-";

    private CopyPreconditions() {
    }

    static void check(HttpHeaders request, StoredObject source) {
        HttpHeaders asGet = new HttpHeaders();
        for (String name : new String[] {HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH,
                HttpHeaders.IF_MODIFIED_SINCE, HttpHeaders.IF_UNMODIFIED_SINCE}) {
            String value = request.getFirst(PREFIX + name.toLowerCase(java.util.Locale.ROOT));
            if (value != null) {
                asGet.set(name, value);
            }
        }
        if (Preconditions.check(asGet, source) == Preconditions.Outcome.NOT_MODIFIED) {
            throw new S3Exception(S3Error.PRECONDITION_FAILED, "the copy source does not meet its "
                    + "x-amz-copy-source-if-none-match or -if-modified-since condition");
        }
    }
}
