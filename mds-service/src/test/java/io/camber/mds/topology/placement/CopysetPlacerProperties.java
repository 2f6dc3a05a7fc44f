package io.camber.mds.topology.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link CopysetPlacer} over pools of 3..30 chunk servers dealt over 3..6 zones, evenly
 * or not, with 1..100 copysets per chunk server of 3 replicas.
 *
 * <p>Bounds checked, with {@code C} the copysets in total and {@code ceil10(x) = max(1, ceil(x/10))}:
 * <ul>
 *   <li>every copyset has its replicas in distinct zones;
 *   <li>equal zones: max - min copysets per chunk server {@code <= ceil10(max)};
 *   <li>uneven zones (the weaker, documented bound): the same inside every zone, and every chunk
 *       server within 3 copysets of its water-filled target (a zone carries at most {@code C}
 *       replicas, one per copyset; zones whose fair share exceeds that are capped, the rest share
 *       the remaining replicas equally per server);
 *   <li>scatter width, when {@code C >= N}: a chunk server in {@code k >= 2} copysets sees at least
 *       {@code min(r, reach)} peers, where {@code reach = min(2(r-1), sum over other zones of
 *       min(servers in that zone, 2))} is the most two copysets can give it: its copysets are never
 *       all the same member set when the zones allow another; with {@code k = 1} it sees
 *       {@code r-1}. The stronger {@code reach} itself does not always hold: balance comes first, and
 *       e.g. 6 servers in 6 zones with 6 copysets end a round on a forced triple, leaving one server
 *       3 peers where 4 were possible. Large pools do reach full scatter (see CopysetPlacerTest);
 *   <li>growth: two placements on top of each other keep the same balance bounds.
 * </ul>
 */
class CopysetPlacerProperties {
    private static final int REPLICAS = 3;

    @Property(tries = 200)
    void replicasAlwaysSitInDistinctZones(@ForAll @IntRange(min = 3, max = 30) int servers,
            @ForAll @IntRange(min = 3, max = 6) int zones, @ForAll boolean even,
            @ForAll @IntRange(min = 1, max = 100) int perServer, @ForAll long dealSeed) {
        Pool pool = Pool.deal(servers, zones, even, dealSeed);
        int count = pool.copysets(perServer);

        Placement placement = CopysetPlacer.place(pool.slots(), List.of(), count, REPLICAS);

        assertThat(placement.newCopysets()).hasSize(count);
        for (List<Long> copyset : placement.newCopysets()) {
            assertThat(copyset).hasSize(REPLICAS).doesNotHaveDuplicates();
            assertThat(copyset.stream().map(pool.zoneOf()::get).distinct().count())
                    .as("zones of %s", copyset).isEqualTo(REPLICAS);
        }
    }

    @Property(tries = 200)
    void copysetsPerChunkServerAreBalanced(@ForAll @IntRange(min = 3, max = 30) int servers,
            @ForAll @IntRange(min = 3, max = 6) int zones, @ForAll boolean even,
            @ForAll @IntRange(min = 1, max = 100) int perServer, @ForAll long dealSeed) {
        Pool pool = Pool.deal(servers, zones, even, dealSeed);
        int count = pool.copysets(perServer);

        Placement placement = CopysetPlacer.place(pool.slots(), List.of(), count, REPLICAS);

        pool.assertBalanced(placement.newCopysets());
    }

    @Property(tries = 150)
    void growthKeepsBalance(@ForAll @IntRange(min = 3, max = 30) int servers,
            @ForAll @IntRange(min = 3, max = 6) int zones, @ForAll boolean even,
            @ForAll @IntRange(min = 1, max = 100) int perServer,
            @ForAll @IntRange(min = 0, max = 100) int firstPercent, @ForAll long dealSeed) {
        Pool pool = Pool.deal(servers, zones, even, dealSeed);
        int count = pool.copysets(perServer);
        int first = count * firstPercent / 100;

        Placement before = CopysetPlacer.place(pool.slots(), List.of(), first, REPLICAS);
        Placement after = CopysetPlacer.place(pool.slots(), before.newCopysets(), count - first,
                REPLICAS);

        List<List<Long>> all = new ArrayList<>(before.newCopysets());
        all.addAll(after.newCopysets());
        assertThat(after.newCopysets()).hasSize(count - first);
        pool.assertBalanced(all);
        assertThat(after.scatter()).isEqualTo(CopysetPlacer.scatter(all, pool.zoneOf().keySet()));
    }

    @Property(tries = 200)
    void serversInTwoCopysetsSeeMoreThanOneCopysetOfPeers(@ForAll @IntRange(min = 3, max = 30) int servers,
            @ForAll @IntRange(min = 3, max = 6) int zones, @ForAll boolean even,
            @ForAll @IntRange(min = 3, max = 100) int perServer, @ForAll long dealSeed) {
        Pool pool = Pool.deal(servers, zones, even, dealSeed);
        int count = Math.max(servers, pool.copysets(perServer));

        Placement placement = CopysetPlacer.place(pool.slots(), List.of(), count, REPLICAS);

        Map<Long, Set<Long>> peers = peers(placement.newCopysets());
        Map<Long, Integer> loads = pool.loads(placement.newCopysets());
        for (Long server : pool.zoneOf().keySet()) {
            int load = loads.get(server);
            int bound = load >= 2 ? Math.min(REPLICAS, pool.twoCopysetReach(server))
                    : (REPLICAS - 1) * load;
            assertThat(peers.getOrDefault(server, Set.of()).size())
                    .as("scatter width of %s with %d copysets in %s", server, load, pool.zoneSizes())
                    .isGreaterThanOrEqualTo(bound);
        }
        assertThat(placement.scatter().min()).isEqualTo(
                peers.values().stream().mapToInt(Set::size).min().orElseThrow());
    }

    private static Map<Long, Set<Long>> peers(List<List<Long>> copysets) {
        Map<Long, Set<Long>> peers = new HashMap<>();
        for (List<Long> copyset : copysets) {
            for (Long member : copyset) {
                for (Long other : copyset) {
                    if (!other.equals(member)) {
                        peers.computeIfAbsent(member, m -> new HashSet<>()).add(other);
                    }
                }
            }
        }
        return peers;
    }

    /** A pool shape: which zone every chunk server is in. */
    private record Pool(List<PlacementSlot> slots, Map<Long, Long> zoneOf, Map<Long, Integer> zoneSizes) {
        /** Deals servers over zones: the first one into each zone, the rest round robin or at random. */
        static Pool deal(int servers, int zones, boolean even, long seed) {
            int zoneCount = Math.min(zones, servers);
            Random random = new Random(seed);
            List<PlacementSlot> slots = new ArrayList<>();
            Map<Long, Long> zoneOf = new HashMap<>();
            Map<Long, Integer> sizes = new HashMap<>();
            for (int i = 0; i < servers; i++) {
                long zone = 10L + (i < zoneCount || even ? i % zoneCount : random.nextInt(zoneCount));
                long server = 1000L + i;
                slots.add(new PlacementSlot(server, zone));
                zoneOf.put(server, zone);
                sizes.merge(zone, 1, Integer::sum);
            }
            return new Pool(slots, zoneOf, sizes);
        }

        int copysets(int perServer) {
            return Math.max(1, slots.size() * perServer / REPLICAS);
        }

        boolean equalZones() {
            return zoneSizes.values().stream().distinct().count() == 1;
        }

        Map<Long, Integer> loads(List<List<Long>> copysets) {
            Map<Long, Integer> loads = new HashMap<>();
            zoneOf.keySet().forEach(server -> loads.put(server, 0));
            copysets.forEach(copyset -> copyset.forEach(server -> loads.merge(server, 1, Integer::sum)));
            return loads;
        }

        /** The most distinct peers two copysets can give {@code server}, zones permitting. */
        int twoCopysetReach(long server) {
            int reach = zoneSizes.entrySet().stream()
                    .filter(zone -> !zone.getKey().equals(zoneOf.get(server)))
                    .mapToInt(zone -> Math.min(zone.getValue(), 2)).sum();
            return Math.min(2 * (REPLICAS - 1), reach);
        }

        void assertBalanced(List<List<Long>> copysets) {
            Map<Long, Integer> loads = loads(copysets);
            if (equalZones()) {
                assertSpread(loads.values(), "pool " + zoneSizes);
                return;
            }
            Map<Long, Double> target = waterFilledTarget(copysets.size());
            for (Long zone : zoneSizes.keySet()) {
                List<Integer> inZone = zoneOf.keySet().stream()
                        .filter(server -> zoneOf.get(server).equals(zone)).map(loads::get).toList();
                assertSpread(inZone, "zone " + zone + " of " + zoneSizes);
            }
            loads.forEach((server, load) -> assertThat((double) load)
                    .as("load of %s in zone %s of %s", server, zoneOf.get(server), zoneSizes)
                    .isBetween(target.get(zoneOf.get(server)) - 3, target.get(zoneOf.get(server)) + 3));
        }

        private static void assertSpread(java.util.Collection<Integer> loads, String where) {
            int max = loads.stream().mapToInt(Integer::intValue).max().orElseThrow();
            int min = loads.stream().mapToInt(Integer::intValue).min().orElseThrow();
            assertThat(max - min).as("max-min copysets per chunk server in %s", where)
                    .isLessThanOrEqualTo(Math.max(1, (max + 9) / 10));
        }

        /** Per zone, the load each of its servers would carry in the best balance the shape allows. */
        private Map<Long, Double> waterFilledTarget(int copysets) {
            Set<Long> capped = new HashSet<>();
            while (true) {
                double remaining = (double) copysets * REPLICAS - (double) copysets * capped.size();
                int free = zoneSizes.entrySet().stream().filter(z -> !capped.contains(z.getKey()))
                        .mapToInt(Map.Entry::getValue).sum();
                double perServer = remaining / free;
                List<Long> over = zoneSizes.entrySet().stream()
                        .filter(z -> !capped.contains(z.getKey()))
                        .filter(z -> perServer * z.getValue() > copysets + 1e-9)
                        .map(Map.Entry::getKey).toList();
                if (over.isEmpty()) {
                    Map<Long, Double> target = new HashMap<>();
                    zoneSizes.forEach((zone, size) -> target.put(zone,
                            capped.contains(zone) ? (double) copysets / size : perServer));
                    return target;
                }
                capped.addAll(over);
            }
        }
    }
}
