package io.camber.client.fuse;

import io.camber.client.fs.CamberFs;
import io.camber.meta.fs.Inode;

/**
 * Turns libfuse's paths into inodes by looking up one component at a time, starting from the longest prefix the
 * {@link LookupCache} still knows, and remembers every step it made.
 */
final class PathResolver {
    private final CamberFs fs;
    private final LookupCache cache;
    private final Await await;
    private final Statahead statahead;

    PathResolver(CamberFs fs, LookupCache cache, Await await, Statahead statahead) {
        this.fs = fs;
        this.cache = cache;
        this.await = await;
        this.statahead = statahead;
    }

    /** The inode number path names (ENOENT, ENOTDIR, ENAMETOOLONG as the library or the name rules answer). */
    long ino(String path) {
        if (path.equals("/")) {
            return CamberFs.ROOT;
        }
        Long known = cache.ino(path);
        if (known != null) {
            return known;
        }
        return lookup(path).ino();
    }

    /** The attributes of what path names, fresh within the attribute timeout. */
    Inode attr(String path) {
        long ino = ino(path);
        Inode known = cache.attr(ino);
        if (known != null) {
            return known;
        }
        if (path.equals("/")) {
            return fetch(ino);
        }
        return lookup(path); // a lookup answers the attributes too, and re-checks that the name still exists
    }

    /** The attributes of ino, fetched now and remembered. */
    Inode fetch(long ino) {
        Inode inode = await.on(fs.getattr(ino));
        cache.putAttr(inode);
        return inode;
    }

    private Inode lookup(String path) {
        // Read before the parent path is resolved: a rename through this mount from here on may make the path
        // name something else than what the lookup finds, so then nothing is remembered under it.
        long changesBefore = cache.changes();
        String name = FusePaths.name(path);
        String parentPath = FusePaths.parent(path);
        long parent = ino(parentPath);
        Inode inode = await.on(fs.lookup(parent, name));
        if (cache.putLooked(path, inode, changesBefore)) {
            statahead.found(parent, parentPath, name, changesBefore);
        }
        return inode;
    }
}
