package io.camber.client.fs;

import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Walks a path's names from the root, one lookup per name. ".." goes back to the directory the walk came from
 * (the root's is the root): that is the directory the caller's path passed through, whereas a directory's stored
 * parent may lag after a rename across a third partition. Symlinks are not followed.
 */
final class PathWalk {
    private final CamberFs fs;
    private final Deque<Inode> trail = new ArrayDeque<>();

    PathWalk(CamberFs fs) {
        this.fs = fs;
    }

    CompletableFuture<Inode> walk(List<String> names) {
        return fs.getattr(CamberFs.ROOT).thenCompose(root -> {
            trail.push(root);
            return step(names, 0);
        });
    }

    private CompletableFuture<Inode> step(List<String> names, int next) {
        Inode at = trail.peek();
        if (next == names.size()) {
            return CompletableFuture.completedFuture(at);
        }
        if (!at.isDirectory()) {
            return CompletableFuture.failedFuture(FsException.of(FsError.ENOTDIR, "'" + String.join("/",
                    names.subList(0, next)) + "' is not a directory, so it holds no '" + names.get(next) + "'"));
        }
        if (names.get(next).equals("..")) {
            if (trail.size() > 1) {
                trail.pop();
            }
            return step(names, next + 1);
        }
        return fs.lookup(at.ino(), names.get(next)).thenCompose(child -> {
            trail.push(child);
            return step(names, next + 1);
        });
    }
}
