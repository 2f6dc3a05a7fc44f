package io.camber.client.chunk;

import io.camber.common.auth.VolumeToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data-plane tokens a client holds, per volume id (and a cluster token under {@link VolumeToken#ANY_VOLUME}).
 * A token replaces the held one only if it supersedes it (newer epoch, read-write, later expiry), so a late renewal
 * answer never narrows what a connection may do.
 */
final class DataTokens {
    private record Held(VolumeToken token, byte[] bytes) {
    }

    private final Map<Long, Held> held = new ConcurrentHashMap<>();

    /** Takes a token (base64url as the MDS answers it); null or unreadable ones are ignored. */
    void put(String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        byte[] bytes = VolumeToken.bytes(text);
        VolumeToken.decodeUnverified(bytes).ifPresent(t -> held.merge(t.volumeId(), new Held(t, bytes),
                (old, next) -> next.token().supersedes(old.token()) ? next : old));
    }

    /** The tokens requests touching these volumes need: the cluster token if there is one, else each volume's. */
    List<byte[]> forVolumes(long[] volumes) {
        Held any = held.get(VolumeToken.ANY_VOLUME);
        if (any != null) {
            return List.of(any.bytes());
        }
        if (held.isEmpty() || volumes == null) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(volumes.length);
        for (long v : volumes) {
            Held h = held.get(v);
            if (h != null) {
                out.add(h.bytes());
            }
        }
        return out;
    }
}
