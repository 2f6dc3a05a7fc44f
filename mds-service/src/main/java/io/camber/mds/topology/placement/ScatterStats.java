package io.camber.mds.topology.placement;

/**
 * Scatter width over a pool: for each chunk server, how many distinct other chunk servers share at
 * least one copyset with it (the peers a recovery of its disk can read from in parallel).
 */
public record ScatterStats(int min, double avg, int max) {
}
