package io.camber.mds.s3;

import io.camber.common.CamberException;

/**
 * A stored S3 access key: its id, its secret (kept in the clear: Signature V4 is an HMAC keyed by it, so the verifier
 * needs it), a label and when it was made.
 */
public record S3KeyRecord(String accessKey, String secretKey, String name, long createdAtMillis) {
    /** Longest label accepted. */
    public static final int MAX_NAME = 128;

    /** The label as stored: stripped, empty when none was given; INVALID_ARGUMENT when too long or not printable. */
    public static String checkName(String name) {
        String n = name == null ? "" : name.strip();
        if (n.length() > MAX_NAME) {
            throw CamberException.invalid("name is " + n.length() + " characters long: keep it to " + MAX_NAME);
        }
        if (n.chars().anyMatch(Character::isISOControl)) {
            throw CamberException.invalid("name holds control characters: use printable text (it is shown in"
                    + " listings)");
        }
        return n;
    }

    @Override
    public String toString() {
        return "S3KeyRecord[" + accessKey + ", " + name + "]"; // never the secret, in logs or exceptions
    }
}
