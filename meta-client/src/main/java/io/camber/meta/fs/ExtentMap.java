package io.camber.meta.fs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A file's extents ordered by file offset and never overlapping. A write over existing extents cuts them; the
 * pieces cut away are returned so their volume space can be freed, since no extent points at them any more.
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

    /** The ranges [start, end) of [from, to) that no extent covers, in file order. */
    public List<long[]> holes(long from, long to) {
        List<long[]> holes = new ArrayList<>();
        long at = from;
        for (Extent e : extents) {
            if (e.end() <= at) {
                continue;
            }
            if (e.fileOffset() >= to) {
                break;
            }
            if (e.fileOffset() > at) {
                holes.add(new long[] {at, e.fileOffset()});
            }
            at = e.end();
        }
        if (at < to) {
            holes.add(new long[] {at, to});
        }
        return holes;
    }

    /** The extents overlapping [from, to), whole (not cut to the range), in file order. */
    public List<Extent> overlapping(long from, long to) {
        return extents.stream().filter(e -> e.fileOffset() < to && e.end() > from).toList();
    }

    /** The extent ending exactly at file offset at, or null: the one a new extent there may continue. */
    public Extent endingAt(long at) {
        for (Extent e : extents) {
            if (e.end() == at) {
                return e;
            }
        }
        return null;
    }

    /**
     * Adds an extent over a hole, merged with its neighbours where they continue each other in the file and on the
     * volume alike, so a file written in order stays one extent per contiguous run of space.
     */
    public void addMerged(Extent extent) {
        if (!overlapping(extent.fileOffset(), extent.end()).isEmpty()) {
            throw new IllegalArgumentException("extent " + extent + " overlaps the map: add extents over holes only");
        }
        Extent merged = extent;
        Extent before = endingAt(extent.fileOffset());
        if (before != null && before.continuedBy(merged)) {
            extents.remove(before);
            merged = new Extent(before.fileOffset(), before.volumeOffset(), before.length() + merged.length());
        }
        for (Extent after : extents) {
            if (merged.continuedBy(after)) {
                extents.remove(after);
                merged = new Extent(merged.fileOffset(), merged.volumeOffset(), merged.length() + after.length());
                break;
            }
        }
        extents.add(merged);
        extents.sort(Comparator.comparingLong(Extent::fileOffset));
    }

    /**
     * The pieces of {@code from}'s mapping that {@code other} does not map the same way (same file bytes to the same
     * volume bytes): what a map loses, or gains, when it becomes another.
     */
    public static List<Extent> minus(List<Extent> from, List<Extent> other) {
        List<Extent> left = new ArrayList<>();
        for (Extent x : from) {
            List<Extent> pieces = new ArrayList<>(List.of(x));
            for (Extent y : other) {
                if (y.volumeOffset() - y.fileOffset() != x.volumeOffset() - x.fileOffset()) {
                    continue;
                }
                List<Extent> next = new ArrayList<>();
                for (Extent p : pieces) {
                    Extent before = p.slice(p.fileOffset(), y.fileOffset());
                    Extent after = p.slice(y.end(), p.end());
                    if (before != null) {
                        next.add(before);
                    }
                    if (after != null) {
                        next.add(after);
                    }
                }
                pieces = next;
            }
            left.addAll(pieces);
        }
        return left;
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
