package io.camber.common.api;

/** How a logical pool protects data; room is left for erasure coding later. */
public enum LogicalPoolType { REPLICATED }
