package io.camber.client.fs;

import io.camber.meta.fs.Extent;
import io.camber.meta.fs.Inode;

import java.util.Comparator;
import java.util.List;

/**
 * What a handle knows of its file's data: the size and the extent map as of the open or its own last write
 * (close-to-open: another mount's writes show once they closed and this handle opens or refetches).
 */
record FileView(long size, List<Extent> extents) {

    FileView {
        extents = extents.stream().sorted(Comparator.comparingLong(Extent::fileOffset)).toList();
    }

    static FileView of(Inode inode) {
        return new FileView(inode.size(), inode.extents());
    }

    /** The parts of extents inside [from, to) of the file, in file order; what is not covered is a hole. */
    List<Extent> mapped(long from, long to) {
        return extents.stream().map(e -> e.slice(from, to)).filter(java.util.Objects::nonNull).toList();
    }
}
