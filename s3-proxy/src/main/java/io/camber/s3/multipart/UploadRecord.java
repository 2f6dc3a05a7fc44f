package io.camber.s3.multipart;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.camber.s3.object.ObjectMeta;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * A multipart upload in progress, stored as the xattr {@link #XATTR} of its directory, so any s3-proxy (or the same
 * one after a restart) can go on with it.
 *
 * @param bucket     the bucket the object will be in
 * @param key        the object's key
 * @param owner      the access key that started it
 * @param initiated  when it started (ms since the epoch)
 * @param headers    the stored headers the object will have (from CreateMultipartUpload)
 * @param userMeta   its x-amz-meta-* values
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record UploadRecord(String bucket, String key, String owner, long initiated, Map<String, String> headers,
                           Map<String, String> userMeta) {
    public static final String XATTR = "user.camber.s3.upload";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public UploadRecord {
        headers = headers == null ? Map.of() : headers;
        userMeta = userMeta == null ? Map.of() : userMeta;
    }

    public static UploadRecord of(String bucket, String key, String owner, long initiated, ObjectMeta meta) {
        return new UploadRecord(bucket, key, owner, initiated, meta.headers(), meta.userMeta());
    }

    /** The metadata the completed object gets. */
    public ObjectMeta objectMeta() {
        return ObjectMeta.forPut(headers, userMeta);
    }

    byte[] toBytes() {
        return JSON.writeValueAsBytes(this);
    }

    static UploadRecord fromBytes(byte[] bytes) {
        return JSON.readValue(bytes, UploadRecord.class);
    }
}
