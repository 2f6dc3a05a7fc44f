package io.camber.common.api;

/** Liveness of a chunk server as the MDS sees it from heartbeats. */
public enum ChunkServerState { REGISTERED, ONLINE, UNSTABLE, OFFLINE }
