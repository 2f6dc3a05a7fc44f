package io.camber.meta.fs;

/**
 * A run of a file's bytes stored in a chunk: {@code length} bytes at {@code fileOffset} in the file live at
 * {@code chunkOffset} in chunk {@code chunkId}.
 */
public record Extent(long fileOffset, long chunkId, long chunkOffset, long length) {

    public Extent {
        if (fileOffset < 0 || chunkOffset < 0 || length <= 0) {
            throw FsException.of(FsError.EINVAL, "extent " + fileOffset + "+" + length + " at chunk " + chunkId
                    + "@" + chunkOffset + " is invalid: offsets must be 0 or more and the length positive");
        }
    }

    /** The file offset just past this extent. */
    public long end() {
        return fileOffset + length;
    }

    /** The part of this extent inside [from, to) of the file, or null when they do not overlap. */
    public Extent slice(long from, long to) {
        long start = Math.max(from, fileOffset);
        long stop = Math.min(to, end());
        if (start >= stop) {
            return null;
        }
        return new Extent(start, chunkId, chunkOffset + (start - fileOffset), stop - start);
    }
}
