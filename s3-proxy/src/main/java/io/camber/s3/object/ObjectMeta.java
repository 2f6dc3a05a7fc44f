package io.camber.s3.object;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.camber.meta.fs.Inode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.TreeMap;

/**
 * What S3 keeps beside an object's bytes, stored as one xattr ({@link #XATTR}) set on the staged file before it is
 * renamed into place, so bytes and metadata appear together.
 *
 * @param etag     the ETag without quotes: the MD5 of the body in hex
 * @param size     the file's size when the etag was computed
 * @param mtime    the file's modification time (ns) when the etag was computed: a write through a mount changes it,
 *                 and the stored MD5 no longer describes the bytes
 * @param headers  the stored standard headers (Content-Type, Cache-Control, Content-Disposition, Content-Encoding,
 *                 Content-Language, Expires), by their canonical names
 * @param userMeta x-amz-meta-* values, names lower case and without the prefix
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(String etag, long size, long mtime, Map<String, String> headers,
                         Map<String, String> userMeta) {
    public static final String XATTR = "user.camber.s3";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ObjectMeta {
        headers = headers == null ? Map.of() : new TreeMap<>(headers);
        userMeta = userMeta == null ? Map.of() : new TreeMap<>(userMeta);
    }

    /** What a PUT stores, before its body was read. */
    public static ObjectMeta forPut(Map<String, String> headers, Map<String, String> userMeta) {
        return new ObjectMeta(null, -1, -1, headers, userMeta);
    }

    /**
     * The metadata of a file as S3 shows it: the stored xattr (null when the file was not written by S3), its MD5
     * trusted only while the file has the size and modification time it had then. Otherwise the ETag is a stable
     * stand-in from inode, size and time, so it still changes whenever the bytes do.
     */
    public static ObjectMeta of(Inode file, byte[] xattr) {
        ObjectMeta stored = xattr == null ? null : fromBytes(xattr);
        if (stored != null && stored.size == file.size() && stored.mtime == file.mtime()) {
            return stored;
        }
        String standIn = String.format("%016x%016x", file.ino() * 0x9E3779B97F4A7C15L ^ file.size(), file.mtime());
        return stored == null ? new ObjectMeta(standIn, file.size(), file.mtime(), Map.of(), Map.of())
                : new ObjectMeta(standIn, file.size(), file.mtime(), stored.headers, stored.userMeta);
    }

    public byte[] toBytes() {
        return JSON.writeValueAsBytes(this);
    }

    static ObjectMeta fromBytes(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ObjectMeta.class);
        } catch (JacksonException e) {
            throw new IllegalStateException("the " + XATTR + " xattr is not S3 metadata: " + e.getMessage(), e);
        }
    }

    public String contentType() {
        return headers.getOrDefault("Content-Type", "application/octet-stream");
    }

    /** This metadata with the body's MD5, for the file as it is once written. */
    public ObjectMeta withEtag(String newEtag, Inode written) {
        return new ObjectMeta(newEtag, written.size(), written.mtime(), headers, userMeta);
    }
}
