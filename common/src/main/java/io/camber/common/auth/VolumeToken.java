package io.camber.common.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A data-plane token: the MDS's Ed25519 signature over (volume id, epoch, access, expiry), so a chunk server can
 * check a writer without calling the MDS and no client can invent an epoch. Volume id {@link #ANY_VOLUME} is a
 * cluster token (any volume, any epoch, still subject to the copyset's fence), issued to admins for tools.
 *
 * <pre>version u8 (1) | key id u32 | volume id u64 | epoch u64 | access u8 (0 ro, 1 rw) | expires at ms u64 | sig 64</pre>
 */
public record VolumeToken(int keyId, long volumeId, long epoch, boolean readWrite, long expiresAtMillis) {
    /** The volume id of a cluster token. */
    public static final long ANY_VOLUME = -1;
    private static final int VERSION = 1;
    private static final int BODY = 1 + 4 + 8 + 8 + 1 + 8;
    private static final int SIGNATURE = 64;
    /** Length of an encoded token. */
    public static final int LENGTH = BODY + SIGNATURE;
    private static final String ALGORITHM = "Ed25519";

    /** Whether this token lets its holder touch any volume. */
    public boolean anyVolume() {
        return volumeId == ANY_VOLUME;
    }

    /**
     * Whether this token should replace other (same volume) in a connection's grants: a newer epoch, then read-write
     * over read-only, then the later expiry. So a delayed older token never shortens or narrows a renewed grant.
     */
    public boolean supersedes(VolumeToken other) {
        if (epoch != other.epoch) {
            return epoch > other.epoch;
        }
        if (readWrite != other.readWrite) {
            return readWrite;
        }
        return expiresAtMillis > other.expiresAtMillis;
    }

    /** Reads a token without checking its signature: for clients, which only carry tokens. */
    public static Optional<VolumeToken> decodeUnverified(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH || bytes[0] != VERSION) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.get();
        return Optional.of(new VolumeToken(b.getInt(), b.getLong(), b.getLong(), b.get() == 1, b.getLong()));
    }

    /** The token signed with key: the bytes clients carry. */
    public byte[] sign(PrivateKey key) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put((byte) VERSION).putInt(keyId).putLong(volumeId).putLong(epoch).put((byte) (readWrite ? 1 : 0))
                .putLong(expiresAtMillis);
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(b.array(), 0, BODY);
            b.put(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a data token: " + e.getMessage(), e);
        }
        return b.array();
    }

    /**
     * The token in bytes if its signature holds under the key it names (keys: key id to public key, null when
     * unknown); empty for a forged, truncated or unknown-key token. Expiry is the caller's to check.
     */
    public static Optional<VolumeToken> verify(byte[] bytes, IntFunction<PublicKey> keys) {
        VolumeToken t = decodeUnverified(bytes).orElse(null);
        if (t == null) {
            return Optional.empty();
        }
        PublicKey key = keys.apply(t.keyId());
        if (key == null) {
            return Optional.empty();
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(bytes, 0, BODY);
            return s.verify(bytes, BODY, SIGNATURE) ? Optional.of(t) : Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The volume id a token names, without checking it (for the client, which only carries tokens). */
    public static long volumeIdOf(byte[] bytes) {
        return bytes != null && bytes.length == LENGTH ? ByteBuffer.wrap(bytes, 5, 8).getLong() : 0;
    }

    /** A new Ed25519 key pair. */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    public static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    public static PublicKey publicKey(byte[] x509) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Tokens travel in JSON as unpadded base64url. */
    public static String text(byte[] token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    public static byte[] bytes(String text) {
        return Base64.getUrlDecoder().decode(text);
    }
}
