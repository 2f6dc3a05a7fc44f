package io.camber.meta.protocol;

/** A read of a partition, answered by its leader as a linearizable read. */
public sealed interface MetaQuery {

    /** Short name for metrics and logs. */
    default String op() {
        return getClass().getSimpleName();
    }

    record Lookup(long parent, String name) implements MetaQuery {
    }

    record GetAttr(long ino) implements MetaQuery {
    }

    /** A page of a directory: names after {@code after} (empty for the first page), at most limit. */
    record ReadDir(long dir, String after, int limit) implements MetaQuery {
    }

    record ReadLink(long ino) implements MetaQuery {
    }

    record StatFs() implements MetaQuery {
    }

    record GetXattr(long ino, String name) implements MetaQuery {
    }

    record ListXattr(long ino) implements MetaQuery {
    }

    /** The state of a rename on this partition (for a primary: the decided outcome, if any). */
    record RenameStatus(String txid) implements MetaQuery {
    }

    /** Renames prepared here and not yet committed or rolled back, for a resolver to finish. */
    record PendingRenames(int limit) implements MetaQuery {
    }

    /** Orphaned inodes and freed extents waiting for GC. */
    record ListDeleted(int limit) implements MetaQuery {
    }
}
