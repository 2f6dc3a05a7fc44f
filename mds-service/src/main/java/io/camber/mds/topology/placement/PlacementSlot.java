package io.camber.mds.topology.placement;

/** One chunk server that may hold copyset replicas, with the zone (failure domain) it lives in. */
public record PlacementSlot(long chunkServerId, long zoneId) {
}
