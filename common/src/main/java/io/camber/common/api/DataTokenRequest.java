package io.camber.common.api;

/** Asks for a cluster data token (any volume) valid for ttlSeconds (default and cap: the MDS's data-token-ttl). */
public record DataTokenRequest(Long ttlSeconds) {
}
