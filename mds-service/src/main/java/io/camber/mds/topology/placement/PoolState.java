package io.camber.mds.topology.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The working state of one placement run: per-server copyset counts, pairwise shared-copyset counts
 * and the member sets already in use, updated as copysets are added.
 */
final class PoolState {
    private final long[] ids;
    private final int[] zoneOf;
    private final int zoneCount;
    private final int[] zoneSize;
    private final int[] zoneLoad;
    private final Map<Long, Integer> indexOf = new HashMap<>();
    private final int[] load;
    private final int[] peers;
    private final int[][] shared;
    private final Set<List<Long>> memberSets = new HashSet<>();
    private final List<List<Long>> created = new ArrayList<>();
    private final long seed;

    /** Candidates tried per copyset while avoiding a repeated member set; keeps placement linear. */
    private static final int SEARCH_BUDGET = 256;
    /** Swaps tried per repeated member set; in dense pools where most sets exist already, repeats are cheaper. */
    private static final int TRADE_BUDGET = 1024;

    PoolState(List<PlacementSlot> slots, long seed) {
        // A canonical order makes the result independent of the order the caller listed slots in.
        List<PlacementSlot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong(PlacementSlot::zoneId)
                .thenComparingLong(PlacementSlot::chunkServerId));
        int n = sorted.size();
        ids = new long[n];
        zoneOf = new int[n];
        Map<Long, Integer> zoneIndex = new HashMap<>();
        for (int i = 0; i < n; i++) {
            PlacementSlot slot = sorted.get(i);
            ids[i] = slot.chunkServerId();
            zoneOf[i] = zoneIndex.computeIfAbsent(slot.zoneId(), z -> zoneIndex.size());
            indexOf.put(slot.chunkServerId(), i);
        }
        zoneCount = zoneIndex.size();
        zoneSize = new int[zoneCount];
        zoneLoad = new int[zoneCount];
        for (int zone : zoneOf) {
            zoneSize[zone]++;
        }
        load = new int[n];
        peers = new int[n];
        shared = new int[n][n];
        this.seed = seed;
    }

    /** Records a copyset; members outside the pool count toward nothing but duplicate detection. */
    void add(List<Long> copyset) {
        memberSets.add(sortedCopy(copyset));
        int[] members = copyset.stream().filter(indexOf::containsKey).mapToInt(indexOf::get)
                .distinct().toArray();
        for (int a = 0; a < members.length; a++) {
            load[members[a]]++;
            zoneLoad[zoneOf[members[a]]]++;
            for (int b = a + 1; b < members.length; b++) {
                link(members[a], members[b]);
            }
        }
    }

    /** Forgets a copyset recorded by {@link #add} (used only for member swaps, which keep every load). */
    private void remove(List<Long> copyset) {
        memberSets.remove(sortedCopy(copyset));
        int[] members = copyset.stream().filter(indexOf::containsKey).mapToInt(indexOf::get).distinct().toArray();
        for (int a = 0; a < members.length; a++) {
            load[members[a]]--;
            zoneLoad[zoneOf[members[a]]]--;
            for (int b = a + 1; b < members.length; b++) {
                unlink(members[a], members[b]);
            }
        }
    }

    /** Chooses the members of the next copyset, one per distinct zone, and records it. */
    List<Long> next(int replicas, int ordinal) {
        int[] chosen = new int[replicas];
        boolean[] zoneUsed = new boolean[zoneCount];
        if (!search(chosen, 0, zoneUsed, ordinal, new int[] {SEARCH_BUDGET})) {
            // Every balanced choice repeats a member set: take the greedy one, then trade a member with a copyset
            // made earlier in this run if that makes both sets new (loads stay as they are).
            Arrays.fill(zoneUsed, false);
            for (int k = 0; k < replicas; k++) {
                chosen[k] = ranked(chosen, k, zoneUsed, ordinal).get(0);
                zoneUsed[zoneOf[chosen[k]]] = true;
            }
        }
        List<Long> copyset = new ArrayList<>(replicas);
        for (int member : chosen) {
            copyset.add(ids[member]);
        }
        if (memberSets.contains(sortedCopy(copyset))) {
            copyset = tradeForNewSet(copyset);
        }
        add(copyset);
        created.add(copyset);
        return copyset;
    }

    /** The copysets made by this run so far, in order; {@link #tradeForNewSet} may have changed earlier ones. */
    List<List<Long>> created() {
        return created.stream().map(List::copyOf).toList();
    }

    /**
     * A repeated member set adds no scatter: its servers see the same peers again (in small lopsided pools a server
     * could end with two copysets and a single pair of peers). Balance leaves no other choice for this copyset,
     * but swapping one member with the member of the same zone in an earlier copyset of this run keeps every
     * load and zone rule intact; the first swap that makes both sets new is taken, else the repeat stays.
     */
    private List<Long> tradeForNewSet(List<Long> copyset) {
        int budget = TRADE_BUDGET;
        for (int e = created.size() - 1; e >= 0 && budget > 0; e--) {
            List<Long> earlier = created.get(e);
            for (int pos = 0; pos < copyset.size(); pos++) {
                Long mine = copyset.get(pos);
                for (int other = 0; other < earlier.size(); other++) {
                    Long theirs = earlier.get(other);
                    if (theirs.equals(mine) || copyset.contains(theirs) || earlier.contains(mine)
                            || zoneOf[indexOf.get(theirs)] != zoneOf[indexOf.get(mine)]) {
                        continue;
                    }
                    if (budget-- <= 0) {
                        return copyset;
                    }
                    List<Long> tradedMine = new ArrayList<>(copyset);
                    tradedMine.set(pos, theirs);
                    List<Long> tradedEarlier = new ArrayList<>(earlier);
                    tradedEarlier.set(other, mine);
                    remove(earlier);
                    if (!memberSets.contains(sortedCopy(tradedMine)) && !memberSets.contains(sortedCopy(tradedEarlier))
                            && !sortedCopy(tradedMine).equals(sortedCopy(tradedEarlier))) {
                        add(tradedEarlier);
                        created.set(e, tradedEarlier);
                        return tradedMine;
                    }
                    add(earlier);
                }
            }
        }
        return copyset;
    }

    /**
     * Fills {@code chosen[k..]} with the best-ranked members that complete a member set not used yet,
     * backtracking over equally good candidates within a bounded budget. An identical member set adds
     * no scatter and doubles the blast radius of a two-disk failure, so it is taken only as a last
     * resort.
     */
    private boolean search(int[] chosen, int k, boolean[] zoneUsed, int ordinal, int[] budget) {
        if (k == chosen.length) {
            return !memberSets.contains(members(chosen));
        }
        for (int candidate : ranked(chosen, k, zoneUsed, ordinal)) {
            if (budget[0]-- <= 0) {
                return false;
            }
            chosen[k] = candidate;
            zoneUsed[zoneOf[candidate]] = true;
            boolean found = search(chosen, k + 1, zoneUsed, ordinal, budget);
            zoneUsed[zoneOf[candidate]] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    /**
     * Candidates for position {@code k}, best first: only the least loaded chunk servers in zones the
     * copyset does not use yet (balance is never traded away), ordered by the most new peer pairs with
     * the members chosen so far, then the fewest copysets shared with them (scatter width), then the
     * fewest peers overall, then a seeded hash so that ties do not always favour low ids.
     */
    private List<Integer> ranked(int[] chosen, int k, boolean[] zoneUsed, int ordinal) {
        int minLoad = Integer.MAX_VALUE;
        for (int i = 0; i < ids.length; i++) {
            if (!zoneUsed[zoneOf[i]]) {
                minLoad = Math.min(minLoad, load[i]);
            }
        }
        List<long[]> keyed = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (!zoneUsed[zoneOf[i]] && load[i] == minLoad) {
                keyed.add(key(chosen, k, i, ordinal));
            }
        }
        keyed.sort(Arrays::compare);
        List<Integer> ranked = new ArrayList<>(keyed.size());
        for (long[] key : keyed) {
            // Backtracking may swap servers but never pick a zone the greedy order would not:
            // a zone left two copysets behind could not catch up.
            if (key[0] == keyed.get(0)[0] && key[1] == keyed.get(0)[1]) {
                ranked.add((int) key[key.length - 1]);
            }
        }
        return ranked;
    }

    private long[] key(int[] chosen, int k, int candidate, int ordinal) {
        int newPairs = 0;
        int sharedSum = 0;
        for (int c = 0; c < k; c++) {
            int s = shared[candidate][chosen[c]];
            newPairs += s == 0 ? 1 : 0;
            sharedSum += s;
        }
        long tie = mix(seed ^ mix(ordinal * 0x9E3779B97F4A7C15L + candidate));
        // Zones that fell behind go first, or a zone could end a round with two servers short
        // while a copyset may take only one of them.
        long zoneBacklog = zoneLoad[zoneOf[candidate]] * 1_000_000L / zoneSize[zoneOf[candidate]];
        return new long[] {load[candidate], zoneBacklog, -newPairs, sharedSum, peers[candidate], tie, candidate};
    }

    private List<Long> members(int[] chosen) {
        List<Long> set = new ArrayList<>(chosen.length);
        for (int member : chosen) {
            set.add(ids[member]);
        }
        return sortedCopy(set);
    }

    private void link(int a, int b) {
        if (shared[a][b]++ == 0) {
            peers[a]++;
            peers[b]++;
        }
        shared[b][a] = shared[a][b];
    }

    private void unlink(int a, int b) {
        if (--shared[a][b] == 0) {
            peers[a]--;
            peers[b]--;
        }
        shared[b][a] = shared[a][b];
    }

    private static List<Long> sortedCopy(List<Long> members) {
        List<Long> copy = new ArrayList<>(members);
        copy.sort(null);
        return List.copyOf(copy);
    }

    /** SplitMix64 finaliser: spreads a seed into well-mixed bits for deterministic tie-breaking. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
