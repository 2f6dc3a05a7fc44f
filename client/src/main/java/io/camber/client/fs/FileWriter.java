package io.camber.client.fs;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.Extent;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a range of a file. A small file that holds no extents keeps its bytes in its inode: one WriteInline
 * command. Otherwise: space for its blocks from the file's partition (AllocateExtents: holes get new space, mapped
 * blocks are overwritten in place), the bytes to the data volume as whole blocks (the partial first and last block
 * read and merged first), and only then the new size. Data before metadata: a crash in between leaves the old size,
 * so no reader ever sees space that was not written. A file outgrowing its inline bytes has them written to its
 * extents first and the partition switches it to extents with the size (AddExtents movedInline). Bytes past the
 * end of the file in its last block read as zeros once the file grows over them, as POSIX requires: the partition
 * keeps that block whole on truncate and leaves zeroing it to the client.
 */
final class FileWriter {
    private static final long BLOCK = DataLayout.BLOCK;
    /** Tries of one write whose view the partition keeps finding stale, before it fails with EIO. */
    private static final int ATTEMPTS = 4;

    private final FileSpace space;
    private final VolumeBytes volume;
    private final FileReader reader;

    FileWriter(FileSpace space, VolumeBytes volume) {
        this.space = space;
        this.volume = volume;
        this.reader = new FileReader(volume);
    }

    /**
     * Writes data at offset of ino (described by view before it); answers the file as the partition recorded it.
     * When the partition finds the view stale (EAGAIN: another client moved the file to extents, or wrote it
     * inline), the write is made again from the inode as it is now, up to {@link #ATTEMPTS} times.
     */
    CompletableFuture<FileView> write(long ino, FileView view, long offset, ByteBuffer data) {
        return write(ino, view, offset, data, 1);
    }

    private CompletableFuture<FileView> write(long ino, FileView view, long offset, ByteBuffer data, int attempt) {
        return attempt(ino, view, offset, data).exceptionallyCompose(e -> {
            if (!FsErrors.is(e, FsError.EAGAIN)) {
                return CompletableFuture.failedFuture(e);
            }
            if (attempt >= ATTEMPTS) {
                return CompletableFuture.failedFuture(FsException.of(FsError.EIO, "write at " + offset + " of inode "
                        + ino + ": the file changed under it " + ATTEMPTS + " times (other clients are writing it);"
                        + " nothing of this write was recorded: retry it"));
            }
            return space.current(ino).thenCompose(inode -> write(ino, FileView.of(inode), offset, data,
                    attempt + 1));
        });
    }

    private CompletableFuture<FileView> attempt(long ino, FileView view, long offset, ByteBuffer data) {
        long end = offset + data.remaining();
        if (view.extents().isEmpty() && end <= DataLayout.INLINE_MAX) {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return space.writeInline(ino, offset, bytes).thenApply(FileView::of);
        }
        if (view.inline() == null) {
            return writeExtents(ino, view, offset, data, null);
        }
        // The move to extents starts from the inline bytes the partition holds now, never from a view that may be
        // old (another client may have written them, or moved the file and written its blocks since): writing old
        // bytes over the file's first blocks would undo its writes. AddExtents then checks that they did not change.
        return space.current(ino).thenCompose(inode -> {
            FileView now = FileView.of(inode);
            if (now.inline() == null) {
                return attempt(ino, now, offset, data);
            }
            return toExtents(ino, now).thenCompose(onExtents -> writeExtents(ino, onExtents, offset, data,
                    now.inline()));
        });
    }

    /**
     * An inline file's bytes written to extents (the partition still reads them inline until AddExtents says they
     * moved): answers the view of the file on those extents.
     */
    private CompletableFuture<FileView> toExtents(long ino, FileView view) {
        byte[] inline = view.inline();
        long to = DataLayout.blockCeil(inline.length);
        if (to == 0) {
            return CompletableFuture.completedFuture(new FileView(view.size(), view.extents()));
        }
        ByteBuffer blocks = ByteBuffer.allocate((int) to); // zeros past the inline bytes, as they read
        blocks.put(0, inline);
        return space.allocate(ino, 0, inline.length).thenCompose(extents -> writeBlocks(extents, 0, to, blocks)
                .thenApply(written -> {
                    List<Extent> all = new ArrayList<>(extents);
                    // space held past the moved blocks (left by a move that never completed) stays mapped
                    view.extents().stream().map(e -> e.slice(to, Long.MAX_VALUE)).filter(java.util.Objects::nonNull)
                            .forEach(all::add);
                    return new FileView(view.size(), all);
                }));
    }

    private CompletableFuture<FileView> writeExtents(long ino, FileView view, long offset, ByteBuffer data,
                                                     byte[] movedInline) {
        long end = offset + data.remaining();
        long from = DataLayout.blockFloor(offset);
        long to = DataLayout.blockCeil(end);
        CompletableFuture<Void> tail = view.size() < offset && DataLayout.blockFloor(view.size()) < from
                ? zeroTail(view, offset) : CompletableFuture.completedFuture(null);
        return tail.thenCompose(z -> space.allocate(ino, offset, end - offset))
                .thenCompose(extents -> compose(view, from, to, offset, data)
                        .thenCompose(blocks -> writeBlocks(extents, from, to, blocks)))
                .thenCompose(written -> space.written(ino, end, movedInline))
                .thenApply(FileView::of);
    }

    /**
     * Zeros the bytes past the end of the file in its last block, up to upTo (before the file grows over them):
     * the block may still hold bytes of a longer past. Nothing to do when the end is block-aligned or unmapped.
     */
    CompletableFuture<Void> zeroTail(FileView view, long upTo) {
        long size = view.size();
        long blockStart = DataLayout.blockFloor(size);
        if (size % BLOCK == 0 || upTo <= size) {
            return CompletableFuture.completedFuture(null);
        }
        List<Extent> mapped = view.mapped(blockStart, blockStart + BLOCK);
        if (mapped.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return reader.read(view, blockStart, (int) (size - blockStart)).thenCompose(kept -> {
            ByteBuffer block = ByteBuffer.allocate((int) BLOCK);
            block.put(0, kept, kept.position(), kept.remaining());
            return writeBlocks(mapped, blockStart, blockStart + BLOCK, block);
        });
    }

    /** The blocks [from, to) as they must read after the write: old bytes around the new ones, zeros past the end. */
    private CompletableFuture<ByteBuffer> compose(FileView view, long from, long to, long offset, ByteBuffer data) {
        long end = offset + data.remaining();
        ByteBuffer blocks = ByteBuffer.allocate((int) (to - from));
        CompletableFuture<ByteBuffer> head = offset > from ? reader.read(view, from, (int) (offset - from))
                : CompletableFuture.completedFuture(ByteBuffer.allocate(0));
        CompletableFuture<ByteBuffer> tail = end < to ? reader.read(view, end, (int) (to - end))
                : CompletableFuture.completedFuture(ByteBuffer.allocate(0));
        return head.thenCombine(tail, (h, t) -> {
            blocks.put(0, h, h.position(), h.remaining());
            blocks.put((int) (end - from), t, t.position(), t.remaining());
            blocks.put((int) (offset - from), data, data.position(), data.remaining());
            return blocks;
        });
    }

    /** Writes blocks (file range [from, to)) where the extents put them on the volume. */
    private CompletableFuture<Void> writeBlocks(List<Extent> extents, long from, long to, ByteBuffer blocks) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        long covered = 0;
        for (Extent e : extents) {
            Extent part = e.slice(from, to);
            if (part == null) {
                continue;
            }
            covered += part.length();
            parts.add(volume.write(part.volumeOffset(), blocks.slice((int) (part.fileOffset() - from),
                    (int) part.length())));
        }
        if (covered != to - from) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EIO,
                    "the partition answered space for " + covered + " of the " + (to - from) + " bytes at " + from
                            + ": nothing recorded; retry the write"));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }
}
