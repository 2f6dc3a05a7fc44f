package io.camber.client.fs;

import io.camber.meta.fs.Extent;
import io.camber.meta.fs.Inode;

import java.util.Comparator;
import java.util.List;

/**
 * What a handle knows of its file's data: the size and the extent map, or the inline bytes of a small file, as of
 * the open or its own last write (close-to-open: another mount's writes show once they closed and this handle opens
 * or refetches).
 *
 * @param inline the file's bytes when its inode holds them (then they and zeros up to size are the file, and the
 *               extents are not read); null when the data is in the extents
 */
record FileView(long size, List<Extent> extents, byte[] inline) {

    FileView {
        extents = extents.stream().sorted(Comparator.comparingLong(Extent::fileOffset)).toList();
    }

    FileView(long size, List<Extent> extents) {
        this(size, extents, null);
    }

    static FileView of(Inode inode) {
        return new FileView(inode.size(), inode.extents(), inode.inline());
    }

    /**
     * The parts of extents inside [from, to) of the file, in file order; what is not covered is a hole. None for an
     * inline file: its extents (space allocated by a move to extents that never completed) hold nothing to read.
     */
    List<Extent> mapped(long from, long to) {
        if (inline != null) {
            return List.of();
        }
        return extents.stream().map(e -> e.slice(from, to)).filter(java.util.Objects::nonNull).toList();
    }
}
