package io.camber.chunk.dataport;

import io.camber.common.CamberException;
import io.camber.common.api.TokenKeysInfo;
import io.camber.common.auth.VolumeToken;
import io.camber.common.chunk.ChunkRequest;
import io.camber.common.chunk.DataFrame.Status;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides whether a data request may go to a copyset: it needs a token the MDS signed for its volume, presented
 * earlier on the same connection. A token's signature is checked once (and remembered, across connections, until
 * it expires), so the per-request cost is a map lookup and a few comparisons, not a signature check per 4 KiB.
 * Writes, deletes and fences must carry the token's epoch, so no client can invent an epoch; the copyset's epoch
 * fence still refuses an older one. Until the MDS has told this chunk server its keys, requests get RETRY.
 */
public final class TokenGate {
    private static final int CACHE_LIMIT = 16_384;

    private final LongSupplier clock;
    private final Map<ByteBuffer, VolumeToken> verified = new ConcurrentHashMap<>();
    private volatile Map<Integer, PublicKey> keys = Map.of();
    private volatile Boolean required;

    /** clock: wall-clock milliseconds, compared with the MDS's expiry times. */
    public TokenGate(LongSupplier clock) {
        this.clock = clock;
    }

    /** A gate that lets everything through (authentication off, or tests of other things). */
    public static TokenGate open() {
        TokenGate g = new TokenGate(System::currentTimeMillis);
        g.required = false;
        return g;
    }

    /** Takes the MDS's current answer: whether tokens are required and the keys that sign them. */
    public void update(TokenKeysInfo info) {
        Map<Integer, PublicKey> next = new HashMap<>();
        for (TokenKeysInfo.PublicKeyInfo k : info.keys()) {
            next.put(k.keyId(), VolumeToken.publicKey(Base64.getDecoder().decode(k.publicKey())));
        }
        keys = Map.copyOf(next);
        required = info.required();
    }

    /** Whether requests need tokens: true unless the MDS said they do not. */
    public boolean required() {
        return !Boolean.FALSE.equals(required);
    }

    /** A refusal: the status and message a request is answered with. */
    public record Refusal(Status status, String message) {
    }

    /** Checks a presented token and, when it holds, records it in the connection's grants; null when accepted. */
    public Refusal present(byte[] token, Grants grants) {
        if (required == null || (required && keys.isEmpty())) {
            // Kept and checked once the keys are here: the client does not present a token twice on a connection
            // (seen right after a chunk server restarted: its data port is up before it has talked to the MDS).
            grants.defer(token);
            return new Refusal(Status.RETRY, "chunk server has not fetched the MDS's token keys yet");
        }
        ByteBuffer cacheKey = ByteBuffer.wrap(token);
        VolumeToken t = verified.get(cacheKey);
        if (t == null) {
            t = VolumeToken.verify(token, keys::get).orElse(null);
            if (t == null) {
                return new Refusal(Status.DENIED, "data token refused: not signed by this cluster's MDS");
            }
            remember(cacheKey, t);
        }
        if (t.expiresAtMillis() <= clock.getAsLong()) {
            return new Refusal(Status.DENIED, "data token for volume " + t.volumeId() + " expired: renew the session");
        }
        grants.add(t);
        return null;
    }

    /** Whether a connection holding grants may send body (an encoded chunk request); null when it may. */
    public Refusal check(ByteBuffer body, Grants grants) {
        Boolean need = required;
        if (need == null) {
            return new Refusal(Status.RETRY, "chunk server has not fetched the MDS's token keys yet");
        }
        if (!need) {
            return null;
        }
        for (byte[] token : grants.takeDeferred()) {
            present(token, grants); // a refusal shows as the request's own refusal below
        }
        ChunkRequest r;
        try {
            r = ChunkRequest.decode(body);
        } catch (CamberException e) {
            return new Refusal(Status.FAILED, e.getMessage());
        }
        if (r.op() == ChunkRequest.Op.BATCH) {
            try {
                for (ChunkRequest one : r.batch()) {
                    Refusal no = checkOne(one, grants);
                    if (no != null) {
                        return no;
                    }
                }
                return null;
            } catch (CamberException e) {
                return new Refusal(Status.FAILED, e.getMessage());
            }
        }
        return checkOne(r, grants);
    }

    private Refusal checkOne(ChunkRequest r, Grants grants) {
        long now = clock.getAsLong();
        if (grants.newest(VolumeToken.ANY_VOLUME, now) != null) {
            return null; // a cluster token: any volume, any epoch; the copyset's fence still applies
        }
        VolumeToken newest = grants.newest(r.volumeId(), now);
        if (newest == null) {
            return new Refusal(Status.DENIED, "no valid data token for volume " + r.volumeId() + " on this connection"
                    + " (none, or expired): open the volume through the MDS (or renew its session) and present the"
                    + " token it answers");
        }
        if (!r.isLogged()) {
            return null; // reads: any token of the volume, read-only included
        }
        VolumeToken t = grants.at(r.volumeId(), r.epoch(), now);
        if (t == null) {
            return new Refusal(Status.DENIED, r.op() + " of volume " + r.volumeId() + " carries epoch " + r.epoch()
                    + " but no token of this connection was issued for it (newest: epoch " + newest.epoch() + "):"
                    + " only epochs the MDS handed out are accepted");
        }
        if (!t.readWrite()) {
            return new Refusal(Status.DENIED, "the data token for volume " + r.volumeId() + " is read-only: "
                    + r.op() + " needs a read-write open");
        }
        return null;
    }

    /**
     * The tokens one connection presented, per volume and epoch: a client may hold a fenced writer and its successor
     * of one volume, and the fenced one's requests must reach the copyset (whose fence answers FENCED). Only the
     * connection's event loop touches it.
     */
    public static final class Grants {
        private static final int PER_VOLUME = 8;
        private static final int DEFERRED = 64;
        private final Map<Long, java.util.TreeMap<Long, VolumeToken>> byVolume = new HashMap<>();
        private java.util.List<byte[]> deferred = java.util.List.of();

        /** Keeps a token presented before the keys to check it were known (a bounded few). */
        void defer(byte[] token) {
            if (deferred.isEmpty()) {
                deferred = new java.util.ArrayList<>();
            }
            if (deferred.size() < DEFERRED) {
                deferred.add(token);
            }
        }

        /** The deferred tokens, now to be checked; empties the list. */
        java.util.List<byte[]> takeDeferred() {
            java.util.List<byte[]> out = deferred;
            deferred = java.util.List.of();
            return out;
        }

        void add(VolumeToken t) {
            java.util.TreeMap<Long, VolumeToken> epochs = byVolume.computeIfAbsent(t.volumeId(),
                    v -> new java.util.TreeMap<>());
            VolumeToken held = epochs.get(t.epoch());
            if (held == null || t.supersedes(held)) {
                epochs.put(t.epoch(), t);
            }
            while (epochs.size() > PER_VOLUME) {
                epochs.pollFirstEntry();
            }
        }

        /** The unexpired token of the volume at exactly epoch (read-write preferred), or null. */
        VolumeToken at(long volume, long epoch, long now) {
            java.util.TreeMap<Long, VolumeToken> epochs = byVolume.get(volume);
            VolumeToken t = epochs == null ? null : epochs.get(epoch);
            return t != null && t.expiresAtMillis() > now ? t : null;
        }

        /** The unexpired token of the volume with the newest epoch, or null. */
        VolumeToken newest(long volume, long now) {
            java.util.TreeMap<Long, VolumeToken> epochs = byVolume.get(volume);
            if (epochs == null) {
                return null;
            }
            for (VolumeToken t : epochs.descendingMap().values()) {
                if (t.expiresAtMillis() > now) {
                    return t;
                }
            }
            return null;
        }

        boolean isEmpty() {
            return byVolume.isEmpty();
        }
    }

    private void remember(ByteBuffer key, VolumeToken t) {
        if (verified.size() >= CACHE_LIMIT) {
            long now = clock.getAsLong();
            verified.values().removeIf(v -> v.expiresAtMillis() <= now);
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear(); // a flood of distinct tokens: checking again costs CPU, not correctness
            }
        }
        verified.put(key, t);
    }

    /** Tokens whose signature is remembered; for tests. */
    int cached() {
        return verified.size();
    }
}
