package io.camber.mds.topology;

import io.camber.common.ByteSizes;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import io.camber.mds.topology.Topology.ChunkServer;
import io.camber.mds.topology.Topology.Copyset;
import io.camber.mds.topology.Topology.LogicalPool;
import io.camber.mds.topology.Topology.PhysicalPool;
import io.camber.mds.topology.placement.CopysetPlacer;
import io.camber.mds.topology.placement.PlacementSlot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/** Plans the logical-pool part of a topology: create, grow by adding copysets, or remove unused pools. */
final class LogicalPoolPlanner {
    static final long DEFAULT_CHUNK = 16 * ByteSizes.MIB;
    static final long DEFAULT_SEGMENT = ByteSizes.GIB;
    static final int DEFAULT_REPLICAS = 3;

    private LogicalPoolPlanner() {
    }

    static void plan(Topology.Draft d, List<LogicalPoolSpec> specs, LongPredicate poolInUse, List<String> changes) {
        Set<String> declared = new HashSet<>();
        for (LogicalPoolSpec spec : specs) {
            TopologyPlanner.requireName(spec.name(), "logical pool");
            if (!declared.add(spec.name())) {
                throw CamberException.invalid("logical pool '" + spec.name() + "' is declared twice");
            }
            LogicalPool existing = d.logicalPools.stream().filter(p -> p.name().equals(spec.name())).findFirst().orElse(null);
            if (existing == null) {
                create(d, spec, changes);
            } else {
                grow(d, existing, spec, changes);
            }
        }
        for (LogicalPool pool : List.copyOf(d.logicalPools)) {
            if (!declared.contains(pool.name())) {
                if (poolInUse.test(pool.id())) {
                    throw new CamberException(ErrorCode.DATA_LOSS_REFUSED, "refusing to remove logical pool '"
                            + pool.name() + "': volumes still allocate from it; delete them first or keep the pool");
                }
                d.logicalPools.remove(pool);
                d.copysets.remove(pool.id());
                changes.add("remove logical pool " + pool.name());
            }
        }
    }

    private static void create(Topology.Draft d, LogicalPoolSpec spec, List<String> changes) {
        PhysicalPool physical = d.physicalPools.stream().filter(p -> p.name().equals(spec.physicalPool())).findFirst()
                .orElseThrow(() -> CamberException.invalid("logical pool '" + spec.name() + "' names physical pool '"
                        + spec.physicalPool() + "', which is not declared"));
        int replicas = spec.replicas() == null ? DEFAULT_REPLICAS : spec.replicas();
        if (replicas < 1 || replicas > 7) {
            throw CamberException.invalid("logical pool '" + spec.name() + "': replicas must be 1..7, not " + replicas);
        }
        long chunk = spec.chunkSize() == null ? DEFAULT_CHUNK : ByteSizes.parse(spec.chunkSize());
        long segment = spec.segmentSize() == null ? DEFAULT_SEGMENT : ByteSizes.parse(spec.segmentSize());
        checkSizes(spec.name(), chunk, segment);
        LogicalPool pool = new LogicalPool(d.newId(), spec.name(), physical.id(), TopologyPlanner.typeOf(spec),
                replicas, chunk, segment);
        List<PlacementSlot> slots = slots(d, physical.id());
        int count = spec.copysets() == null ? CopysetPlacer.suggestedCopysets(slots.size(), replicas) : spec.copysets();
        if (count < 1) {
            throw CamberException.invalid("logical pool '" + spec.name() + "': copysets must be at least 1");
        }
        d.logicalPools.add(pool);
        place(d, pool, slots, count);
        changes.add("add logical pool " + spec.name() + " on " + physical.name() + " (" + replicas + " replicas, "
                + ByteSizes.format(chunk) + " chunks, " + ByteSizes.format(segment) + " segments, " + count + " copysets)");
    }

    private static void grow(Topology.Draft d, LogicalPool pool, LogicalPoolSpec spec, List<String> changes) {
        List<String> clashes = new ArrayList<>();
        if (spec.physicalPool() != null && d.physicalPools.stream()
                .noneMatch(p -> p.id() == pool.physicalPoolId() && p.name().equals(spec.physicalPool()))) {
            clashes.add("physical pool");
        }
        if (spec.replicas() != null && spec.replicas() != pool.replicas()) {
            clashes.add("replicas");
        }
        if (spec.chunkSize() != null && ByteSizes.parse(spec.chunkSize()) != pool.chunkSize()) {
            clashes.add("chunk size");
        }
        if (spec.segmentSize() != null && ByteSizes.parse(spec.segmentSize()) != pool.segmentSize()) {
            clashes.add("segment size");
        }
        if (spec.type() != null && spec.type() != pool.type()) {
            clashes.add("type");
        }
        if (!clashes.isEmpty()) {
            throw new CamberException(ErrorCode.CONFLICT, "logical pool '" + pool.name() + "' exists with another "
                    + String.join(", ", clashes) + ": these cannot change once data may be stored; create a new pool");
        }
        int have = d.copysets.getOrDefault(pool.id(), List.of()).size();
        if (spec.copysets() == null || spec.copysets() == have) {
            return;
        }
        if (spec.copysets() < have) {
            throw new CamberException(ErrorCode.DATA_LOSS_REFUSED, "logical pool '" + pool.name() + "' has " + have
                    + " copysets; shrinking to " + spec.copysets() + " would drop data. Keep copysets: " + have);
        }
        place(d, pool, slots(d, pool.physicalPoolId()), spec.copysets() - have);
        changes.add("grow logical pool " + pool.name() + " from " + have + " to " + spec.copysets() + " copysets");
    }

    private static void place(Topology.Draft d, LogicalPool pool, List<PlacementSlot> slots, int count) {
        List<Copyset> existing = d.copysets.getOrDefault(pool.id(), List.of());
        List<List<Long>> members = existing.stream().map(Copyset::members).toList();
        List<List<Long>> placed = CopysetPlacer.place(slots, members, count, pool.replicas()).newCopysets();
        List<Copyset> all = new ArrayList<>(existing);
        for (List<Long> m : placed) {
            all.add(new Copyset(pool.id(), all.size() + 1, List.copyOf(m)));
        }
        d.copysets.put(pool.id(), List.copyOf(all));
    }

    private static List<PlacementSlot> slots(Topology.Draft d, long physicalPoolId) {
        Topology view = d.build();
        List<PlacementSlot> slots = new ArrayList<>();
        for (ChunkServer cs : view.chunkServers()) {
            if (cs.takesReplicas() && view.physicalPoolOf(cs) == physicalPoolId) { // nor a retired or draining one
                slots.add(new PlacementSlot(cs.id(), view.zoneOf(cs)));
            }
        }
        return slots;
    }

    private static void checkSizes(String name, long chunk, long segment) {
        if (chunk < 64 * ByteSizes.KIB || chunk > 4 * ByteSizes.GIB || Long.bitCount(chunk) != 1) {
            throw CamberException.invalid("logical pool '" + name + "': chunk size " + ByteSizes.format(chunk)
                    + " must be a power of two between 64KiB and 4GiB (default 16MiB)");
        }
        if (segment < chunk || segment % chunk != 0 || segment / chunk > 4096) {
            throw CamberException.invalid("logical pool '" + name + "': segment size " + ByteSizes.format(segment)
                    + " must be a multiple of the chunk size with at most 4096 chunks (default 1GiB)");
        }
    }
}
