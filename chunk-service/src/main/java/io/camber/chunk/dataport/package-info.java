/**
 * Where client IO enters a chunk server: the data protocol ({@link io.camber.common.chunk.DataFrame}) on its own
 * TCP port. Requests are handed to the copyset's Raft server in-process: writes are replicated, reads are answered
 * by the leader under its lease. See docs/architecture.md, "The data hop".
 */
package io.camber.chunk.dataport;
