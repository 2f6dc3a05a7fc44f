/**
 * The Camber chunk-service: one process per disk, serving chunk read/write/delete for the copysets it
 * holds. Planned here, by feature: {@code copyset} (one Ratis group per copyset, the state machine that
 * writes payloads as state-machine data, snapshots that list chunk files in place), {@code chunk} (the
 * chunk file format, a 4 KiB meta page plus data, and the preallocated chunk-file pool), {@code fence}
 * (rejecting writes whose volume epoch is older than the newest seen) and {@code heartbeat} (registration
 * and reports to the MDS).
 */
package io.camber.chunk;
