package io.camber.s3.object;

import io.camber.meta.fs.Inode;

import java.time.Instant;

/** An object as a GET or HEAD finds it: its file's inode and its S3 metadata. */
public record StoredObject(String key, Inode inode, ObjectMeta meta) {
    public long size() {
        return inode.size();
    }

    public Instant lastModified() {
        return Instant.ofEpochSecond(0, inode.mtime());
    }
}
