package io.camber.client.fs;

import io.camber.meta.fs.Extent;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a file's bytes from the data volume through its extent map, or from its inline bytes: zeros in holes and
 * past the inline bytes, short at the end.
 */
final class FileReader {
    private final VolumeBytes volume;

    FileReader(VolumeBytes volume) {
        this.volume = volume;
    }

    /** Up to length bytes at offset of the file as view describes it. */
    CompletableFuture<ByteBuffer> read(FileView view, long offset, int length) {
        long end = Math.min(view.size(), offset + length);
        if (offset >= end) {
            return CompletableFuture.completedFuture(ByteBuffer.allocate(0));
        }
        ByteBuffer out = ByteBuffer.allocate((int) (end - offset)); // zeros: what a hole reads as
        if (view.inline() != null) {
            byte[] inline = view.inline();
            if (offset < inline.length) {
                out.put(0, inline, (int) offset, (int) (Math.min(inline.length, end) - offset));
            }
            return CompletableFuture.completedFuture(out);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (Extent e : view.mapped(offset, end)) {
            int into = (int) (e.fileOffset() - offset);
            parts.add(volume.read(e.volumeOffset(), (int) e.length())
                    .thenAccept(b -> out.put(into, b, b.position(), (int) e.length())));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x -> out);
    }
}
