package io.camber.mds.fs;

/**
 * A file system as stored in the MDS: its name, the logical pool its file data goes to, its data volume (the path of
 * the thin volume in that pool holding every file's bytes; null for file systems made before data volumes existed)
 * and when it was made. Its metadata partitions are stored beside it, one record each ({@link MetaPartition}). Ids
 * are never reused.
 */
public record FileSystem(long id, String name, long logicalPoolId, long createdAtMillis, String dataVolume) {
}
