package io.camber.meta.fs;

/**
 * A run of a file's bytes on its file system's data volume: {@code length} bytes at {@code fileOffset} in the file
 * live at {@code volumeOffset} in the data volume ({@link DataLayout}). Extents the partition hands out are whole
 * 4 KiB blocks on both sides, so two files never share a page of the volume.
 */
public record Extent(long fileOffset, long volumeOffset, long length) {

    public Extent {
        if (fileOffset < 0 || volumeOffset < 0 || length <= 0 || fileOffset + length < 0
                || volumeOffset + length < 0) {
            throw FsException.of(FsError.EINVAL, "extent " + fileOffset + "+" + length + " at volume offset "
                    + volumeOffset + " is invalid: offsets must be 0 or more and the length positive");
        }
    }

    /** The file offset just past this extent. */
    public long end() {
        return fileOffset + length;
    }

    /** The volume offset just past this extent. */
    public long volumeEnd() {
        return volumeOffset + length;
    }

    /** Whether next starts where this one ends, in the file and on the volume alike (the two can be one extent). */
    public boolean continuedBy(Extent next) {
        return end() == next.fileOffset && volumeEnd() == next.volumeOffset;
    }

    /** The part of this extent inside [from, to) of the file, or null when they do not overlap. */
    public Extent slice(long from, long to) {
        long start = Math.max(from, fileOffset);
        long stop = Math.min(to, end());
        if (start >= stop) {
            return null;
        }
        return new Extent(start, volumeOffset + (start - fileOffset), stop - start);
    }

    /** Whether every offset of both is 4 KiB aligned, as allocated space always is. */
    public boolean blockAligned() {
        return fileOffset % DataLayout.BLOCK == 0 && volumeOffset % DataLayout.BLOCK == 0
                && length % DataLayout.BLOCK == 0;
    }
}
