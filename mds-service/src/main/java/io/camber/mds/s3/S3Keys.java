package io.camber.mds.s3;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.S3KeyInfo;
import io.camber.common.api.S3KeySecret;
import io.camber.mds.raft.Keys;
import io.camber.server.codec.Json;
import io.camber.server.rocks.RocksStore;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The S3 access keys as this replica has applied them, in memory: the s3-proxy asks for a secret for the requests it
 * verifies, and that read should not scan RocksDB. Stored in the auth column family under {@code "s3key/" + id}.
 * Immutable: a change builds a new value, swapped in after its batch commits, as {@code AuthState} is.
 */
public record S3Keys(Map<String, S3KeyRecord> byAccessKey) {
    private static final byte[] PREFIX = Keys.text("s3key/");

    public S3Keys {
        byAccessKey = Map.copyOf(byAccessKey);
    }

    public static S3Keys empty() {
        return new S3Keys(Map.of());
    }

    /** Reads every key from the store (at start and after a snapshot install). */
    public static S3Keys load(RocksStore store) {
        Map<String, S3KeyRecord> keys = new HashMap<>();
        store.scan(Keys.AUTH, PREFIX, Integer.MAX_VALUE, (k, v) -> {
            S3KeyRecord r = Json.read(v, S3KeyRecord.class);
            keys.put(r.accessKey(), r);
        });
        return new S3Keys(keys);
    }

    /** These keys plus key, written to batch; ALREADY_EXISTS if its id is taken (ids are random: retry). */
    public S3Keys with(RocksStore.Batch batch, S3KeyRecord key) {
        if (byAccessKey.containsKey(key.accessKey())) {
            throw new CamberException(ErrorCode.ALREADY_EXISTS, "S3 access key " + key.accessKey()
                    + " exists already; create another (ids are random, a second try gets a new one)");
        }
        batch.put(Keys.AUTH, storeKey(key.accessKey()), Json.write(key));
        Map<String, S3KeyRecord> next = new HashMap<>(byAccessKey);
        next.put(key.accessKey(), key);
        return new S3Keys(next);
    }

    /** These keys without accessKey, deleted in batch; NOT_FOUND if there is no such key. */
    public S3Keys without(RocksStore.Batch batch, String accessKey) {
        if (!byAccessKey.containsKey(accessKey)) {
            throw unknown(accessKey);
        }
        batch.delete(Keys.AUTH, storeKey(accessKey));
        Map<String, S3KeyRecord> next = new HashMap<>(byAccessKey);
        next.remove(accessKey);
        return new S3Keys(next);
    }

    public Optional<S3KeyRecord> get(String accessKey) {
        return Optional.ofNullable(byAccessKey.get(accessKey));
    }

    /** Every key, oldest first, without secrets. */
    public List<S3KeyInfo> list() {
        return byAccessKey.values().stream()
                .sorted(Comparator.comparingLong(S3KeyRecord::createdAtMillis).thenComparing(S3KeyRecord::accessKey))
                .map(k -> new S3KeyInfo(k.accessKey(), k.name(), Instant.ofEpochMilli(k.createdAtMillis())))
                .toList();
    }

    /** One key with its secret; NOT_FOUND if there is no such key. */
    public S3KeySecret secret(String accessKey) {
        S3KeyRecord k = get(accessKey).orElseThrow(() -> unknown(accessKey));
        return new S3KeySecret(k.accessKey(), k.secretKey(), k.name());
    }

    private static CamberException unknown(String accessKey) {
        return CamberException.notFound("no S3 access key " + accessKey + " (`camber s3 key ls` lists them)");
    }

    private static byte[] storeKey(String accessKey) {
        byte[] id = Keys.text(accessKey);
        byte[] out = java.util.Arrays.copyOf(PREFIX, PREFIX.length + id.length);
        System.arraycopy(id, 0, out, PREFIX.length, id.length);
        return out;
    }

    @Override
    public String toString() {
        return "S3Keys" + byAccessKey.keySet();
    }
}
