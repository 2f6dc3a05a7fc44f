package io.camber.mds.topology.placement;

import java.util.List;

/**
 * The copysets a placement run created, each a list of chunk-server ids, and the scatter width of
 * the pool once they are added to the existing ones.
 */
public record Placement(List<List<Long>> newCopysets, ScatterStats scatter) {
    public Placement {
        newCopysets = List.copyOf(newCopysets);
    }
}
