/**
 * The Camber meta-service: file-system metadata for CurveFS-style file systems. Planned here, by
 * feature: {@code partition} (an inode-id range per partition, each replicated by a Ratis group over
 * RocksDB from server-common), {@code inode} and {@code dentry} (inodes, directory entries, xattrs and
 * extents pointing at chunks), {@code rename} (cross-partition rename as a two-phase transaction) and
 * {@code heartbeat} (registration and reports to the MDS).
 */
package io.camber.meta;
