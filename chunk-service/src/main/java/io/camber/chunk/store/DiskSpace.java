package io.camber.chunk.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** How many bytes the disk of a chunk server can still take; an interface so tests need not fill a disk. */
@FunctionalInterface
public interface DiskSpace {

    /** Bytes an unprivileged writer may still allocate on the disk (statvfs' available blocks). */
    long usableBytes();

    /** The file system holding {@code dir}, looked up once. */
    static DiskSpace of(Path dir) {
        FileStore store;
        try {
            store = Files.getFileStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the file system of " + dir, e);
        }
        return () -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the free space of " + dir, e);
            }
        };
    }
}
