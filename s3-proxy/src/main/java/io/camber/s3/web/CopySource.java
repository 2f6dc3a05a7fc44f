package io.camber.s3.web;

import io.camber.s3.object.ObjectKey;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;

/** The object an x-amz-copy-source header names: "/bucket/key" or "bucket/key", URL-encoded, no version. */
record CopySource(String bucket, ObjectKey key) {

    static CopySource parse(String header) {
        if (header == null || header.isBlank()) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-copy-source is empty: name the source as "
                    + "/bucket/key");
        }
        String raw = header.strip();
        int query = raw.indexOf('?');
        if (query >= 0) {
            String version = raw.substring(query + 1);
            if (!version.equals("versionId=null") && !version.isEmpty()) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "objects have no versions here: only versionId=null "
                        + "can be copied");
            }
            raw = raw.substring(0, query);
        }
        String path = UriUtils.decode(raw.startsWith("/") ? raw.substring(1) : raw, StandardCharsets.UTF_8);
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-copy-source must name /bucket/key, not '"
                    + header + "'");
        }
        return new CopySource(path.substring(0, slash), ObjectKey.parse(path.substring(slash + 1)));
    }
}
