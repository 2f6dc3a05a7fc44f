package io.camber.chunk.integrity;

import org.apache.ratis.protocol.RaftGroupId;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What reads and scrubs found and mended on this chunk server since it started; metrics and heartbeats show it. */
public final class IntegrityStats {
    private final Set<PageKey> unrepaired = ConcurrentHashMap.newKeySet();
    private final LongAdder found = new LongAdder();
    private final LongAdder repaired = new LongAdder();
    private final LongAdder scrubbedBytes = new LongAdder();

    /** Pages of one replica found failing their checksum or disagreeing with the other replicas. */
    void found(RaftGroupId group, long chunkId, Iterable<Integer> pages) {
        for (int page : pages) {
            if (unrepaired.add(key(group, chunkId, page))) {
                found.increment();
            }
        }
    }

    /** Pages rewritten through the log with a good replica's bytes. */
    void repaired(RaftGroupId group, long chunkId, int firstPage, int count) {
        for (int page = firstPage; page < firstPage + count; page++) {
            if (unrepaired.remove(key(group, chunkId, page))) {
                repaired.increment();
            }
        }
    }

    void scrubbed(long bytes) {
        scrubbedBytes.add(bytes);
    }

    /** Bad pages known and not repaired yet. */
    public int unrepairedPages() {
        return unrepaired.size();
    }

    public long foundPages() {
        return found.sum();
    }

    public long repairedPages() {
        return repaired.sum();
    }

    public long scrubbedBytes() {
        return scrubbedBytes.sum();
    }

    /**
     * Pages a scrub found consistent on every replica: a bad one among them was mended another way (a client
     * rewrote it), so it no longer counts as unrepaired.
     */
    void consistent(RaftGroupId group, long chunkId, int firstPage, int count, Set<Integer> badPages) {
        if (unrepaired.isEmpty()) {
            return;
        }
        for (int page = firstPage; page < firstPage + count; page++) {
            if (!badPages.contains(page)) {
                unrepaired.remove(key(group, chunkId, page));
            }
        }
    }

    /** Forgets bad pages of a copyset's chunks that no longer exist (deleted). */
    void keepOnly(RaftGroupId group, Set<Long> chunkIds) {
        unrepaired.removeIf(k -> k.group().equals(group) && !chunkIds.contains(k.chunkId()));
    }

    /**
     * Forgets the bad pages of copysets this server no longer leads (or hosts): their leader's scrub counts them now,
     * and a count kept here would hold the cluster at HEALTH_WARN after that leader repaired them.
     */
    void keepLed(java.util.function.Predicate<RaftGroupId> leads) {
        if (!unrepaired.isEmpty()) {
            unrepaired.removeIf(k -> !leads.test(k.group()));
        }
    }

    private record PageKey(RaftGroupId group, long chunkId, int page) {
    }

    private static PageKey key(RaftGroupId group, long chunkId, int page) {
        return new PageKey(group, chunkId, page);
    }
}
