package io.camber.client.fuse;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls, failures and time per FUSE operation since the mount, logged at unmount: which operations a workload
 * makes and where its time goes (a write-heavy tool may spend it in getxattr, a tree walk in getattr).
 */
final class OpStats {
    /** Counters of one operation. */
    record Counters(LongAdder calls, LongAdder failures, LongAdder nanos) {
        Counters() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private final ConcurrentHashMap<String, Counters> byOp = new ConcurrentHashMap<>();

    void record(String op, long nanos, boolean failed) {
        Counters c = byOp.computeIfAbsent(op, k -> new Counters());
        c.calls.increment();
        c.nanos.add(nanos);
        if (failed) {
            c.failures.increment();
        }
    }

    long calls(String op) {
        Counters c = byOp.get(op);
        return c == null ? 0 : c.calls.sum();
    }

    /** One "op=calls/failures/mean µs" item per operation, by name. */
    String summary() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Counters> e : new TreeMap<>(byOp).entrySet()) {
            long calls = e.getValue().calls.sum();
            out.append(out.isEmpty() ? "" : " ").append(e.getKey()).append('=').append(calls).append('/')
                    .append(e.getValue().failures.sum()).append('/')
                    .append(calls == 0 ? 0 : e.getValue().nanos.sum() / calls / 1000);
        }
        return out.toString();
    }
}
