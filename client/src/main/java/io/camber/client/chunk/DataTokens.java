package io.camber.client.chunk;

import io.camber.common.auth.VolumeToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The data-plane tokens a client holds, per volume and epoch (and a cluster token under {@link
 * VolumeToken#ANY_VOLUME}). Per epoch, not just per volume: one client may hold a fenced writer and its successor
 * of the same volume (two opens in one NBD server, or a test), and the fenced one must still reach the copyset,
 * whose fence answers FENCED, rather than be refused for carrying the wrong token.
 */
final class DataTokens {
    /** Tokens kept per volume: the newest epochs win. */
    private static final int PER_VOLUME = 4;
    /** The epoch a read asks for: any token of the volume will do. */
    static final long ANY_EPOCH = -1;

    private record Held(VolumeToken token, byte[] bytes) {
    }

    private final Map<Long, NavigableMap<Long, Held>> held = new ConcurrentHashMap<>();

    /** Takes a token (base64url as the MDS answers it); null or unreadable ones are ignored. */
    void put(String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        byte[] bytes = VolumeToken.bytes(text);
        VolumeToken.decodeUnverified(bytes).ifPresent(t -> {
            NavigableMap<Long, Held> epochs = held.computeIfAbsent(t.volumeId(), v -> new ConcurrentSkipListMap<>());
            epochs.merge(t.epoch(), new Held(t, bytes), (old, next) -> next.token().supersedes(old.token()) ? next : old);
            while (epochs.size() > PER_VOLUME) {
                epochs.pollFirstEntry();
            }
        });
    }

    /**
     * The tokens a request needs, for its (volume id, epoch) pairs laid out one after another (epoch {@link
     * #ANY_EPOCH} for reads): the cluster token if there is one, else each pair's own token where it is held.
     */
    List<byte[]> forRequests(long[] volumeEpochs) {
        Held any = newest(VolumeToken.ANY_VOLUME);
        if (any != null) {
            return List.of(any.bytes());
        }
        if (held.isEmpty() || volumeEpochs == null) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(volumeEpochs.length / 2);
        for (int i = 0; i + 1 < volumeEpochs.length; i += 2) {
            Held h = volumeEpochs[i + 1] == ANY_EPOCH ? newest(volumeEpochs[i])
                    : held.getOrDefault(volumeEpochs[i], new ConcurrentSkipListMap<>()).get(volumeEpochs[i + 1]);
            if (h != null && !out.contains(h.bytes())) {
                out.add(h.bytes());
            }
        }
        return out;
    }

    private Held newest(long volume) {
        NavigableMap<Long, Held> epochs = held.get(volume);
        Map.Entry<Long, Held> last = epochs == null ? null : epochs.lastEntry();
        return last == null ? null : last.getValue();
    }
}
