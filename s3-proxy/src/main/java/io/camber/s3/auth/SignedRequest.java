package io.camber.s3.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an HTTP request that SigV4 covers, exactly as received: the path and query still percent-encoded, the
 * headers as a case-insensitive multimap.
 *
 * @param method   the HTTP method, e.g. {@code PUT}
 * @param rawPath  the request path as sent on the wire, not decoded (e.g. {@code /bucket/a%20b}); empty means {@code /}
 * @param rawQuery the query string as sent, without the {@code ?}; empty when there is none
 * @param headers  every header with all its values; over HTTP/2 the caller supplies {@code host} from
 *                 {@code :authority}
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    public SignedRequest {
        rawPath = rawPath == null ? "" : rawPath;
        rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        // Merge rather than put: a caller's map may hold "Host" and "host" as separate keys.
        headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
            List<String> both = new ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        headers = Collections.unmodifiableMap(copy);
    }

    /** All values of a header, in the order received; empty when absent. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }
}
