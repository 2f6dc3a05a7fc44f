/**
 * The Camber meta-service: file-system metadata for CurveFS-style file systems, by feature: {@code fs} (inodes,
 * dentries, extents, POSIX errors), {@code protocol} (commands, queries, replies and their binary form),
 * {@code partition} (an inode-id range per partition, replicated by a Ratis group over RocksDB from
 * server-common, with the cross-partition rename primitives), {@code server} (hosting many partitions in one
 * process) and {@code client} (a Ratis client of a partition and the client half of a cross-partition rename).
 * Registration with the MDS and placement come with later issues.
 */
package io.camber.meta;
