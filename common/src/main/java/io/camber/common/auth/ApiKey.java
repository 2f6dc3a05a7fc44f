package io.camber.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An admin API key as clients send it: {@code camber_<id>_<secret>}, id 16 hex digits (shown by {@code camber auth
 * ls}, never secret), secret 64 hex digits (256 random bits, shown once). The MDS stores only {@link #hash()}.
 */
public record ApiKey(String id, String secret) {
    private static final String PREFIX = "camber_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    public ApiKey {
        if (!isHex(id, 16) || !isHex(secret, 64)) {
            throw new IllegalArgumentException("not a Camber API key: expected camber_<16 hex digits>_<64 hex digits>");
        }
    }

    /** A new key with a random id and secret. */
    public static ApiKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiKey(HEX.formatHex(id), HEX.formatHex(secret));
    }

    /** Parses the text form; empty when it is not a Camber key (the caller answers 401, never says why in detail). */
    public static Optional<ApiKey> parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + 16 + 1 + 64
                || text.charAt(PREFIX.length() + 16) != '_') {
            return Optional.empty();
        }
        String id = text.substring(PREFIX.length(), PREFIX.length() + 16);
        String secret = text.substring(PREFIX.length() + 17);
        return isHex(id, 16) && isHex(secret, 64) ? Optional.of(new ApiKey(id, secret)) : Optional.empty();
    }

    /**
     * SHA-256 of id and secret, hex. A plain hash and not a slow password hash on purpose: the secret is 256 random
     * bits, so there is nothing to guess offline, and every API request checks it.
     */
    public String hash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Whether this key's hash is storedHash, compared in constant time. */
    public boolean matches(String storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** The text form clients send. */
    public String text() {
        return PREFIX + id + "_" + secret;
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + "]"; // never the secret, in logs or exceptions
    }

    private static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
