package io.camber.mds.topology.placement;

import io.camber.common.CamberException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses the chunk servers of new copysets: replicas in distinct zones, copysets per chunk server
 * balanced, scatter width as wide as the pool allows, deterministic for a given input.
 *
 * <p>The placer is greedy, one copyset and one member at a time. Each member is the least loaded
 * chunk server (counting existing copysets) in a zone the copyset does not use yet; among equally
 * loaded candidates it takes the one that adds the most new peer pairs and shares the fewest
 * copysets with the members already chosen, so recovery of any disk can read from many peers.
 *
 * <p><b>Balance rule.</b> A copyset holds at most one replica per zone, so a zone can hold at most
 * one replica of every copyset: with {@code C} copysets in total, a zone of {@code n} chunk servers
 * carries at most {@code C} replicas, i.e. {@code C / n} per server. When every zone's fair share
 * ({@code n} times the pool-wide average) fits under that cap, which always holds when all zones are
 * the same size, copysets per chunk server differ by at most {@code max(1, ceil(10% of the
 * maximum))}, in practice by at most one. When a zone is too large for its fair share (few zones, one of them big), perfect
 * balance is impossible: the zone is capped, joins every copyset and its servers carry {@code C / n}
 * each, while the remaining replicas are spread over the other zones the same way (water filling,
 * i.e. proportionally to what each zone can take). Least-loaded-first reaches that shape by itself:
 * inside every zone the 10 % bound still holds, and each server stays within 3 copysets of its
 * water-filled target (within 1.3 over 4000 random shapes).
 *
 * <p><b>Repeated member sets</b> are avoided by a bounded backtracking search over equally good
 * candidates; balance wins over it. When balanced choices run out, the copyset trades a member with
 * the same-zone member of an earlier new copyset if that makes both sets new (loads unchanged), so a
 * server of a small lopsided pool does not end with two copysets of the same peers. A few repeats
 * remain in dense pools (55 of 1000 copysets on 30 servers in 3 zones, which have exactly 1000
 * possible sets).
 */
public final class CopysetPlacer {
    /** Curve's rule of thumb: about this many copysets on every chunk server. */
    static final int COPYSETS_PER_CHUNK_SERVER = 100;

    private CopysetPlacer() {
    }

    /**
     * Places {@code newCopysets} copysets of {@code replicas} chunk servers each on {@code slots},
     * taking {@code existingCopysets} into account for balance, scatter and duplicate avoidance.
     *
     * @throws CamberException INVALID_ARGUMENT when the pool cannot hold such copysets at all
     */
    public static Placement place(List<PlacementSlot> slots, List<List<Long>> existingCopysets,
            int newCopysets, int replicas) {
        validate(slots, existingCopysets, newCopysets, replicas);
        PoolState pool = new PoolState(slots, seed(slots, existingCopysets, newCopysets, replicas));
        existingCopysets.forEach(pool::add);
        for (int i = 0; i < newCopysets; i++) {
            pool.next(replicas, i);
        }
        List<List<Long>> created = pool.created();
        List<List<Long>> all = new ArrayList<>(existingCopysets);
        all.addAll(created);
        List<Long> servers = slots.stream().map(PlacementSlot::chunkServerId).toList();
        return new Placement(created, scatter(all, servers));
    }

    /**
     * Scatter width of {@code chunkServers}: for each, the number of distinct other chunk servers it
     * shares at least one of {@code copysets} with; all zero for an empty collection.
     */
    public static ScatterStats scatter(List<List<Long>> copysets, Collection<Long> chunkServers) {
        Map<Long, Set<Long>> peers = new HashMap<>();
        for (Long server : chunkServers) {
            peers.put(server, new HashSet<>());
        }
        for (List<Long> copyset : copysets) {
            for (Long member : copyset) {
                Set<Long> own = peers.get(member);
                if (own != null) {
                    copyset.stream().filter(peer -> !peer.equals(member)).forEach(own::add);
                }
            }
        }
        if (peers.isEmpty()) {
            return new ScatterStats(0, 0.0, 0);
        }
        int min = peers.values().stream().mapToInt(Set::size).min().orElse(0);
        int max = peers.values().stream().mapToInt(Set::size).max().orElse(0);
        double avg = peers.values().stream().mapToInt(Set::size).average().orElse(0.0);
        return new ScatterStats(min, avg, max);
    }

    /** About 100 copysets per chunk server, Curve's default: {@code chunkServers * 100 / replicas}, at least 1. */
    public static int suggestedCopysets(int chunkServers, int replicas) {
        if (replicas < 1) {
            throw CamberException.invalid("replicas must be at least 1, got " + replicas);
        }
        long suggested = (long) Math.max(0, chunkServers) * COPYSETS_PER_CHUNK_SERVER / replicas;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, suggested));
    }

    private static void validate(List<PlacementSlot> slots, List<List<Long>> existing,
            int newCopysets, int replicas) {
        if (replicas < 1) {
            throw CamberException.invalid("replicas must be at least 1, got " + replicas
                    + "; use 3 for a REPLICATED logical pool");
        }
        if (newCopysets < 0) {
            throw CamberException.invalid("number of copysets to create must not be negative, got "
                    + newCopysets);
        }
        if (slots == null || slots.isEmpty()) {
            throw CamberException.invalid("the physical pool has no chunk servers; register at least "
                    + replicas + " chunk servers in " + replicas + " different zones first");
        }
        if (existing == null) {
            throw CamberException.invalid("existing copysets must be a list, possibly empty");
        }
        for (List<Long> copyset : existing) {
            if (copyset == null || copyset.stream().anyMatch(Objects::isNull)) {
                throw CamberException.invalid("an existing copyset is null or has a null member; "
                        + "pass every existing copyset as its list of chunk-server ids");
            }
        }
        Set<Long> seen = new HashSet<>();
        Set<Long> zones = new HashSet<>();
        for (PlacementSlot slot : slots) {
            if (!seen.add(slot.chunkServerId())) {
                throw CamberException.invalid("chunk server " + slot.chunkServerId()
                        + " is listed twice; list each chunk server once with its zone");
            }
            zones.add(slot.zoneId());
        }
        if (zones.size() < replicas) {
            throw CamberException.invalid("copysets of " + replicas + " replicas need chunk servers in "
                    + replicas + " different zones, but the pool spans only " + zones.size()
                    + " zone(s); add chunk servers in " + (replicas - zones.size())
                    + " more zone(s) or lower the replica count");
        }
    }

    /** A seed derived only from the input, so equal inputs give equal placements on every JVM. */
    private static long seed(List<PlacementSlot> slots, List<List<Long>> existing, int count,
            int replicas) {
        List<PlacementSlot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong(PlacementSlot::chunkServerId));
        long h = PoolState.mix(count * 31L + replicas);
        for (PlacementSlot slot : sorted) {
            h = PoolState.mix(h ^ slot.chunkServerId()) ^ PoolState.mix(h + slot.zoneId());
        }
        for (List<Long> copyset : existing) {
            for (Long member : copyset) {
                h = PoolState.mix(h ^ member);
            }
        }
        return h;
    }
}
