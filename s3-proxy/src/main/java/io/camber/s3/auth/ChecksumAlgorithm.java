package io.camber.s3.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** The S3 flexible checksums, each named by its {@code x-amz-checksum-*} header or trailer. */
public enum ChecksumAlgorithm {
    CRC32("CRC32"),
    CRC32C("CRC32C"),
    CRC64NVME("CRC64NVME"),
    SHA1("SHA1"),
    SHA256("SHA256");

    private final String displayName;

    ChecksumAlgorithm(String displayName) {
        this.displayName = displayName;
    }

    /** The header (or trailer) carrying this checksum, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm named by an {@code x-amz-checksum-*} header name, case-insensitively. */
    public static Optional<ChecksumAlgorithm> forHeader(String headerName) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.headerName().equalsIgnoreCase(headerName.strip())) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    String displayName() {
        return displayName;
    }

    /** A fresh running checksum of this algorithm. */
    RunningChecksum start() {
        return switch (this) {
            case CRC32 -> new RunningChecksum(new CRC32(), 4);
            case CRC32C -> new RunningChecksum(new CRC32C(), 4);
            case CRC64NVME -> new RunningChecksum(new Crc64Nvme(), 8);
            case SHA1 -> new RunningChecksum(digest("SHA-1"));
            case SHA256 -> new RunningChecksum(digest("SHA-256"));
        };
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships " + name, e);
        }
    }
}
