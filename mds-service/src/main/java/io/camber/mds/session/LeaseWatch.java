package io.camber.mds.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MDS leader's view of session leases on its own monotonic clock. A session's lease starts when the leader
 * first sees its current version (the Raft index that last wrote it: an open, renewal or resume), so a wall clock
 * that jumps, or a replica whose clock runs ahead, can never end a lease early; a new leader grants every session
 * a full lease from its first look. Not thread-safe: one ticker calls it.
 */
public final class LeaseWatch {
    private record Seen(long version, long atNanos) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** The sessions not written for a whole lease as of nowNanos (System.nanoTime), each at the version seen. */
    public List<SessionTable.Overdue> overdue(List<SessionRecord> sessions, long nowNanos) {
        List<SessionTable.Overdue> out = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (SessionRecord s : sessions) {
            String id = s.sessionId();
            present.add(id);
            Seen last = seen.get(id);
            if (last == null || last.version() != s.version()) {
                seen.put(id, new Seen(s.version(), nowNanos));
            } else if (nowNanos - last.atNanos() > s.leaseMillis() * 1_000_000L) {
                out.add(new SessionTable.Overdue(id, s.version()));
            }
        }
        seen.keySet().retainAll(present);
        return out;
    }

    /** Forgets everything: called when this replica is not the leader, so a later term starts every lease afresh. */
    public void forget() {
        seen.clear();
    }
}
