package io.camber.chunk.fence;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;

import java.util.HashMap;
import java.util.Map;

/**
 * The IO fence of one copyset: the newest epoch seen per volume. A write carrying an older epoch
 * comes from a client that lost its volume to a newer writer and is refused. Checked while a
 * committed entry is applied, so every replica takes the same decision.
 */
public final class EpochFence {
    private final Map<Long, Long> newest = new HashMap<>();

    /** Refuses a stale epoch, else remembers it as the newest for the volume. Volume 0 is unfenced. */
    public void admit(long volumeId, long epoch) {
        if (volumeId == 0) {
            return;
        }
        long seen = newest.getOrDefault(volumeId, 0L);
        if (epoch < seen) {
            throw new CamberException(ErrorCode.FENCED, "write to volume " + volumeId + " carries epoch " + epoch
                    + " but epoch " + seen + " was seen: another client opened the volume read-write; reopen it");
        }
        newest.put(volumeId, epoch);
    }

    /** Raises the newest epoch of a volume (as learned from the MDS) without a write. */
    public void learn(long volumeId, long epoch) {
        newest.merge(volumeId, epoch, Math::max);
    }

    public Map<Long, Long> snapshot() {
        return Map.copyOf(newest);
    }

    public void restore(Map<Long, Long> epochs) {
        newest.clear();
        newest.putAll(epochs);
    }
}
