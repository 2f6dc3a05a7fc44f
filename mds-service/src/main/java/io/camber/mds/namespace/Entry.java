package io.camber.mds.namespace;

import io.camber.common.api.EntryType;

/** A stored namespace entry: a directory, or a volume with its size, pool and newest epoch. */
public record Entry(long id, long parentId, String name, EntryType type, String owner, long size, long poolId,
                    long chunkSize, long segmentSize, long epoch, long createdAtMillis) {
    /** The id of the root directory, which is implicit and never stored. */
    public static final long ROOT_ID = 1;

    public static Entry root() {
        return new Entry(ROOT_ID, 0, "", EntryType.DIRECTORY, "root", 0, 0, 0, 0, 0, 0);
    }

    public boolean isVolume() {
        return type == EntryType.VOLUME;
    }

    public Entry withSize(long newSize) {
        return new Entry(id, parentId, name, type, owner, newSize, poolId, chunkSize, segmentSize, epoch, createdAtMillis);
    }

    public Entry withEpoch(long newEpoch) {
        return new Entry(id, parentId, name, type, owner, size, poolId, chunkSize, segmentSize, newEpoch, createdAtMillis);
    }

    public Entry movedTo(long newParent, String newName) {
        return new Entry(id, newParent, newName, type, owner, size, poolId, chunkSize, segmentSize, epoch, createdAtMillis);
    }
}
