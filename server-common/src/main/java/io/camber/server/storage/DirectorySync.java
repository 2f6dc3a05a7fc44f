package io.camber.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Makes renames and creations inside a directory durable by fsyncing the directory itself. */
public final class DirectorySync {
    private DirectorySync() {
    }

    /** fsyncs the directory: renames and creations in it survive a power loss from then on. */
    public static void sync(Path dir) {
        // A rename is only durable once the directory entry is; Linux allows fsync on a read-only dir handle.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync directory " + dir, e);
        }
    }
}
