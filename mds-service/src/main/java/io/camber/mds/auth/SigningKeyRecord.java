package io.camber.mds.auth;

import io.camber.common.auth.VolumeToken;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * One Ed25519 key the MDS signs data-plane tokens with. The private key is part of the replicated state (so every
 * replica signs alike and a new leader keeps signing with it): whoever can read the MDS's disk or Raft log can
 * mint tokens, which docs/operations.md states.
 */
public record SigningKeyRecord(int keyId, String privateKey, String publicKey, long createdAtMillis) {

    /** A new key pair as a record. */
    public static SigningKeyRecord generate(int keyId, long nowMillis) {
        KeyPair pair = VolumeToken.newKeyPair();
        Base64.Encoder b64 = Base64.getEncoder();
        return new SigningKeyRecord(keyId, b64.encodeToString(pair.getPrivate().getEncoded()),
                b64.encodeToString(pair.getPublic().getEncoded()), nowMillis);
    }

    public PrivateKey privateKeyValue() {
        return VolumeToken.privateKey(Base64.getDecoder().decode(privateKey));
    }

    public PublicKey publicKeyValue() {
        return VolumeToken.publicKey(Base64.getDecoder().decode(publicKey));
    }

    @Override
    public String toString() {
        return "SigningKeyRecord[" + keyId + "]";
    }
}
