package io.camber.meta.fs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A file's extents ordered by file offset and never overlapping. A write over existing extents cuts them; the
 * pieces cut away are returned so their chunk space can be freed, since no extent points at them any more.
 */
public final class ExtentMap {
    private final List<Extent> extents;

    public ExtentMap(List<Extent> extents) {
        this.extents = new ArrayList<>(extents);
        this.extents.sort(Comparator.comparingLong(Extent::fileOffset));
    }

    /** The extents in file order. */
    public List<Extent> extents() {
        return List.copyOf(extents);
    }

    /** Lays the extent over the file, newest wins; returns the pieces of older extents it replaced. */
    public List<Extent> write(Extent extent) {
        List<Extent> freed = cut(extent.fileOffset(), extent.end());
        extents.add(extent);
        extents.sort(Comparator.comparingLong(Extent::fileOffset));
        return freed;
    }

    /** Drops everything at or past size (a truncate); returns the pieces dropped. */
    public List<Extent> truncate(long size) {
        return cut(size, Long.MAX_VALUE);
    }

    private List<Extent> cut(long from, long to) {
        List<Extent> kept = new ArrayList<>();
        List<Extent> freed = new ArrayList<>();
        for (Extent e : extents) {
            Extent inside = e.slice(from, to);
            if (inside == null) {
                kept.add(e);
                continue;
            }
            freed.add(inside);
            Extent before = e.slice(e.fileOffset(), from);
            Extent after = e.slice(to, e.end());
            if (before != null) {
                kept.add(before);
            }
            if (after != null) {
                kept.add(after);
            }
        }
        extents.clear();
        extents.addAll(kept);
        return freed;
    }
}
