package io.camber.client.fs;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A file open in this mount, shared by its handles: what they know of its data, and one queue for their writes, so
 * two handles never merge the same block at once (each write reads and rewrites whole blocks) and a read through
 * one handle sees what another handle of this mount wrote.
 */
final class OpenInode {
    final long ino;
    final Set<OpenFile> handles = ConcurrentHashMap.newKeySet();
    private volatile FileView view;
    private CompletableFuture<?> queue = CompletableFuture.completedFuture(null);

    OpenInode(long ino, FileView view) {
        this.ino = ino;
        this.view = view;
    }

    FileView view() {
        return view;
    }

    void view(FileView next) {
        view = next;
    }

    /** Runs step after every step queued before it (failed ones included), and answers its outcome. */
    synchronized <T> CompletableFuture<T> serially(Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> next = queue.handle((x, e) -> null).thenCompose(x -> step.get());
        queue = next;
        return next;
    }

    /** Sends what every handle of the file buffered. */
    CompletableFuture<Void> flushAll() {
        return CompletableFuture.allOf(handles.stream().map(OpenFile::flush).toArray(CompletableFuture[]::new));
    }
}
