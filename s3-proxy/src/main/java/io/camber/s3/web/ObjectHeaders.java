package io.camber.s3.web;

import io.camber.s3.object.ObjectMeta;
import io.camber.s3.object.StoredObject;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The headers an object keeps (read from a PUT) and gives back (on GET and HEAD, with response-* overrides). */
final class ObjectHeaders {
    /** The standard headers S3 stores with an object and returns with it. */
    static final List<String> STORED = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CACHE_CONTROL,
            HttpHeaders.CONTENT_DISPOSITION, HttpHeaders.CONTENT_ENCODING, HttpHeaders.CONTENT_LANGUAGE,
            HttpHeaders.EXPIRES);
    private static final String USER_META = "x-amz-meta-";
    /** The user metadata S3 accepts on one object, names and values together. */
    private static final int MAX_USER_META_BYTES = 2048;

    private ObjectHeaders() {
    }

    /** What a PUT asks to store (the etag is filled in once the body is read). */
    static ObjectMeta fromPut(ServerRequest request) {
        Map<String, String> stored = new HashMap<>();
        for (String name : STORED) {
            String value = request.headers().firstHeader(name);
            if (name.equals(HttpHeaders.CONTENT_ENCODING) && value != null) {
                value = withoutAwsChunked(value); // the framing of this request, not how the object is encoded
            }
            if (value != null && !value.isEmpty()) {
                stored.put(name, value);
            }
        }
        Map<String, String> user = new HashMap<>();
        request.headers().asHttpHeaders().forEach((header, values) -> {
            String name = header.toLowerCase(Locale.ROOT);
            if (name.startsWith(USER_META)) {
                user.merge(name.substring(USER_META.length()), String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        int bytes = user.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        if (bytes > MAX_USER_META_BYTES) {
            throw new S3Exception("MetadataTooLarge", 400, "x-amz-meta-* headers hold " + bytes + " bytes; S3 allows "
                    + MAX_USER_META_BYTES, null);
        }
        return ObjectMeta.forPut(stored, user);
    }

    /** Sets the object's headers on a GET or HEAD answer, response-* query parameters winning. */
    static void apply(ServerResponse.BodyBuilder answer, StoredObject object, RequestTarget target) {
        ObjectMeta meta = object.meta();
        answer.header(HttpHeaders.ETAG, "\"" + meta.etag() + "\"")
                .header(HttpHeaders.LAST_MODIFIED, S3Responses.http(object.lastModified()))
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header(HttpHeaders.CONTENT_TYPE, meta.contentType());
        meta.headers().forEach((name, value) -> {
            if (!name.equals(HttpHeaders.CONTENT_TYPE)) {
                answer.header(name, value);
            }
        });
        meta.userMeta().forEach((name, value) -> answer.header(USER_META + name, value));
        for (String name : STORED) {
            String override = target.param("response-" + name.toLowerCase(Locale.ROOT));
            if (override != null) {
                answer.headers(h -> h.set(name, override));
            }
        }
    }

    private static String withoutAwsChunked(String value) {
        return Arrays.stream(value.split(",")).map(String::strip)
                .filter(v -> !v.isEmpty() && !v.equalsIgnoreCase("aws-chunked")).collect(Collectors.joining(","));
    }
}
