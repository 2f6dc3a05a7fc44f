package io.camber.common.api;

import java.util.List;

/**
 * What chunk servers need to check data-plane tokens: whether the MDS requires them, and its public keys.
 *
 * @param required whether chunk servers must refuse requests without a valid token
 * @param keys     the MDS's token signing keys, newest last
 */
public record TokenKeysInfo(boolean required, List<PublicKeyInfo> keys) {

    /** One Ed25519 public key, X.509-encoded and base64. */
    public record PublicKeyInfo(int keyId, String publicKey) {
    }
}
