/**
 * Keeping replicas correct after they were written: every read checks each page's CRC32C (in the store), a read
 * that fails is answered by another replica ({@link io.camber.chunk.integrity.Scrubber#answer}), and the scrub
 * compares the replicas of each copyset this chunk server leads and rewrites bad pages through the copyset's log.
 */
package io.camber.chunk.integrity;
