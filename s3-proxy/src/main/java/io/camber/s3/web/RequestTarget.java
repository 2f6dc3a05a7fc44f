package io.camber.s3.web;

import org.springframework.web.util.UriUtils;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a path-style S3 request names: "/" (the service), "/bucket" or "/bucket/key", and its query parameters
 * decoded. Sub-resources such as {@code ?uploads} are parameters with an empty value.
 */
public record RequestTarget(String bucket, String key, Map<String, String> query) {

    public static RequestTarget of(URI uri) {
        String raw = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String path = raw.startsWith("/") ? raw.substring(1) : raw;
        String bucket = null;
        String key = null;
        if (!path.isEmpty()) {
            int slash = path.indexOf('/');
            bucket = UriUtils.decode(slash < 0 ? path : path.substring(0, slash), StandardCharsets.UTF_8);
            if (slash >= 0 && slash + 1 < path.length()) {
                key = UriUtils.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
            }
        }
        return new RequestTarget(bucket, key, query(uri.getRawQuery()));
    }

    public boolean has(String param) {
        return query.containsKey(param);
    }

    public String param(String name) {
        return query.get(name);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the query string has a bad %-escape: " + s);
        }
    }
}
