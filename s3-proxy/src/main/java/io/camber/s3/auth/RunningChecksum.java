package io.camber.s3.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.zip.Checksum;

/** A checksum fed incrementally, whose value is read once at the end of the body as S3's base64 form. */
final class RunningChecksum {

    private final Checksum crc;
    private final int crcBytes;
    private final MessageDigest digest;

    RunningChecksum(Checksum crc, int crcBytes) {
        this.crc = crc;
        this.crcBytes = crcBytes;
        this.digest = null;
    }

    RunningChecksum(MessageDigest digest) {
        this.crc = null;
        this.crcBytes = 0;
        this.digest = digest;
    }

    /** Adds the remaining bytes of {@code data} without moving its position. */
    void update(ByteBuffer data) {
        if (crc != null) {
            crc.update(data.duplicate());
        } else {
            digest.update(data.duplicate());
        }
    }

    /** The big-endian checksum bytes (CRCs) or the digest. */
    byte[] value() {
        if (digest != null) {
            return digest.digest();
        }
        ByteBuffer out = ByteBuffer.allocate(8).putLong(crc.getValue());
        byte[] bytes = new byte[crcBytes];
        System.arraycopy(out.array(), 8 - crcBytes, bytes, 0, crcBytes);
        return bytes;
    }

    String base64() {
        return Base64.getEncoder().encodeToString(value());
    }
}
