package io.camber.common.api;

/** Liveness of a chunk server as the MDS sees it from heartbeats. */
public enum ChunkServerState {
    REGISTERED, ONLINE, UNSTABLE, OFFLINE,
    /** Its disk was wiped or replaced and a new chunk server took its address; it never comes back. */
    RETIRED
}
