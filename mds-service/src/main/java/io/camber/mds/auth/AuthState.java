package io.camber.mds.auth;

import io.camber.mds.raft.Keys;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys as this replica has applied them, kept in memory so that checking a request's credential never touches
 * RocksDB on a Netty thread. Immutable: a change builds a new value, swapped in after its batch commits.
 */
public record AuthState(Map<String, ApiKeyRecord> apiKeys, List<SigningKeyRecord> signingKeys,
                        Map<Integer, PublicKey> publicKeys, PrivateKey signingKey) {
    private static final byte[] API_KEY = "apikey/".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SIGNING = "signing/".getBytes(StandardCharsets.UTF_8);

    public static AuthState empty() {
        return new AuthState(Map.of(), List.of(), Map.of(), null);
    }

    private static AuthState of(Map<String, ApiKeyRecord> apiKeys, List<SigningKeyRecord> signing) {
        Map<Integer, PublicKey> pub = new HashMap<>();
        signing.forEach(k -> pub.put(k.keyId(), k.publicKeyValue()));
        PrivateKey newest = signing.isEmpty() ? null : signing.get(signing.size() - 1).privateKeyValue();
        return new AuthState(Map.copyOf(apiKeys), List.copyOf(signing), Map.copyOf(pub), newest);
    }

    /** Reads every key from the store (at start and after a snapshot install). */
    public static AuthState load(RocksStore store) {
        Map<String, ApiKeyRecord> keys = new HashMap<>();
        List<SigningKeyRecord> signing = new ArrayList<>();
        store.scan(Keys.AUTH, API_KEY, Integer.MAX_VALUE, (k, v) -> {
            ApiKeyRecord r = Json.read(v, ApiKeyRecord.class);
            keys.put(r.id(), r);
        });
        store.scan(Keys.AUTH, SIGNING, Integer.MAX_VALUE, (k, v) -> signing.add(Json.read(v, SigningKeyRecord.class)));
        signing.sort(java.util.Comparator.comparingInt(SigningKeyRecord::keyId));
        return of(keys, signing);
    }

    /** This state with key added, written to batch. */
    public AuthState withApiKey(RocksStore.Batch batch, ApiKeyRecord key) {
        batch.put(Keys.AUTH, apiKeyKey(key.id()), Json.write(key));
        Map<String, ApiKeyRecord> next = new HashMap<>(apiKeys);
        next.put(key.id(), key);
        return of(next, signingKeys);
    }

    /** This state without the key (which must exist), deleted in batch. */
    public AuthState withoutApiKey(RocksStore.Batch batch, String id) {
        batch.delete(Keys.AUTH, apiKeyKey(id));
        Map<String, ApiKeyRecord> next = new HashMap<>(apiKeys);
        next.remove(id);
        return of(next, signingKeys);
    }

    /** This state with a signing key added, written to batch. */
    public AuthState withSigningKey(RocksStore.Batch batch, SigningKeyRecord key) {
        batch.put(Keys.AUTH, concat(SIGNING, String.format("%010d", key.keyId())), Json.write(key));
        List<SigningKeyRecord> next = new ArrayList<>(signingKeys);
        next.add(key);
        return of(apiKeys, next);
    }

    /** The newest signing key's id, or 0 when there is none. */
    public int signingKeyId() {
        return signingKeys.isEmpty() ? 0 : signingKeys.get(signingKeys.size() - 1).keyId();
    }

    private static byte[] apiKeyKey(String id) {
        return concat(API_KEY, id);
    }

    private static byte[] concat(byte[] prefix, String rest) {
        byte[] r = rest.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + r.length);
        System.arraycopy(r, 0, out, prefix.length, r.length);
        return out;
    }

    @Override
    public String toString() {
        return "AuthState[apiKeys=" + apiKeys.keySet() + ", signingKeys=" + signingKeys.size() + "]";
    }
}
