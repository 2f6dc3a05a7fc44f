package io.camber.common.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * An S3 access key pair as AWS clients hold it: an access key id ({@code CK} and 18 uppercase letters or digits,
 * 20 characters, as AWS' {@code AKIA...}) and a 40-character secret (240 random bits in the base64 alphabet,
 * letters, digits, {@code +} and {@code /}). Signature V4 signs with the secret itself, so the MDS keeps it, not
 * a hash as it does for API keys.
 */
public record S3Credential(String accessKey, String secretKey) {
    /** What every Camber access key id starts with. */
    public static final String PREFIX = "CK";
    public static final int ACCESS_KEY_LENGTH = 20;
    public static final int SECRET_KEY_LENGTH = 40;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public S3Credential {
        if (!isAccessKey(accessKey)) {
            throw new IllegalArgumentException(describe(accessKey));
        }
        if (secretKey == null || secretKey.length() != SECRET_KEY_LENGTH) {
            throw new IllegalArgumentException("an S3 secret key is " + SECRET_KEY_LENGTH + " characters long");
        }
    }

    /** A new pair with a random id and secret. */
    public static S3Credential generate() {
        StringBuilder id = new StringBuilder(PREFIX);
        while (id.length() < ACCESS_KEY_LENGTH) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        byte[] secret = new byte[SECRET_KEY_LENGTH * 3 / 4]; // 30 bytes encode to exactly 40 characters, no padding
        RANDOM.nextBytes(secret);
        return new S3Credential(id.toString(), Base64.getEncoder().encodeToString(secret));
    }

    /** Whether text has the form of a Camber access key id (whether it exists is the MDS's to say). */
    public static boolean isAccessKey(String text) {
        if (text == null || text.length() != ACCESS_KEY_LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            if (ID_ALPHABET.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Why text is not an access key id, for error messages (quoting at most 40 characters of it). */
    public static String describe(String text) {
        return "'" + (text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "..." : text) + "' is not"
                + " a Camber S3 access key: they are " + ACCESS_KEY_LENGTH + " characters, " + PREFIX
                + " then uppercase letters and digits (`camber s3 key ls` lists them)";
    }

    @Override
    public String toString() {
        return "S3Credential[" + accessKey + "]"; // never the secret, in logs or exceptions
    }
}
