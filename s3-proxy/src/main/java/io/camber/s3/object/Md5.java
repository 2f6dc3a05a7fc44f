package io.camber.s3.object;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The MD5 of a body as it streams: S3's ETag of a single-part object. */
final class Md5 {
    private final MessageDigest md5;
    private long bytes;

    Md5() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    void update(ByteBuffer data) {
        bytes += data.remaining();
        md5.update(data.duplicate());
    }

    long bytes() {
        return bytes;
    }

    String hex() {
        return HexFormat.of().formatHex(md5.digest());
    }
}
