package io.camber.client.fs;

import io.camber.meta.fs.DataLayout;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle of an open file. Reads go to the data volume through the extent map known since the open (fetched again
 * when a read reaches past the known end); small writes are gathered in a buffer and sent when it fills, when a
 * write does not continue it, on flush, and on release. Writes larger than the buffer go out directly.
 */
final class OpenFile implements CamberFs.FileHandle {
    /** A file's largest end: its partition's slice of the data volume holds at most this much. */
    static final long MAX_FILE_BYTES = DataLayout.SLICE_BYTES;
    /**
     * Most bytes one read answers (a shorter read is POSIX's right) and one write sends at a time: bounds the memory
     * a call takes and keeps a write's blocks within one allocation command.
     */
    static final int MAX_IO = (int) DataLayout.MAX_ALLOCATION;

    private final OpenInode file;
    private final boolean writable;
    private final FileHandles mount;
    private final WriteBuffer buffer;
    private final AtomicBoolean released = new AtomicBoolean();

    OpenFile(OpenInode file, boolean writable, FileHandles mount, int bufferBytes) {
        this.file = file;
        this.writable = writable;
        this.mount = mount;
        this.buffer = new WriteBuffer(bufferBytes);
    }

    @Override
    public long ino() {
        return file.ino;
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        if (offset < 0 || length < 0) {
            return failed(FsError.EINVAL, "read at " + offset + "+" + length + ": offset and length must be 0 or more");
        }
        if (released.get()) {
            return released();
        }
        int wanted = Math.min(length, MAX_IO);
        // Bytes buffered by any handle of this mount are sent first, so a read sees every write made here.
        return file.flushAll().thenCompose(flushed -> {
            FileView known = file.view();
            if (offset + wanted <= known.size()) {
                return mount.reader().read(known, offset, wanted);
            }
            return file.serially(() -> mount.space().current(file.ino)).thenCompose(inode -> {
                FileView fresh = FileView.of(inode);
                file.view(fresh);
                return mount.reader().read(fresh, offset, wanted);
            });
        });
    }

    @Override
    public CompletableFuture<Void> write(long offset, ByteBuffer data) {
        if (!writable) {
            return failed(FsError.EBADF, "inode " + file.ino + " is open for reading only: open it for writing");
        }
        if (offset < 0 || offset + data.remaining() > MAX_FILE_BYTES || offset + data.remaining() < 0) {
            return failed(offset < 0 ? FsError.EINVAL : FsError.EFBIG, "write at " + offset + "+" + data.remaining()
                    + " is outside 0.." + MAX_FILE_BYTES + ", the largest file a partition holds");
        }
        if (released.get()) {
            return released();
        }
        if (!data.hasRemaining()) {
            return CompletableFuture.completedFuture(null);
        }
        WriteBuffer.Run before;
        boolean buffered = false;
        synchronized (this) {
            long growth = buffer.growthFor(offset, data.remaining());
            if (growth >= 0 && mount.reserve(growth)) {
                buffer.put(offset, data);
                return buffer.isFull() ? flush() : CompletableFuture.completedFuture(null);
            }
            // Not a continuation of the run (or past the mount's budget): the run goes out, this write starts
            // the next one if it fits, else goes out directly after it.
            before = takeLocked();
            if (buffer.growthFor(offset, data.remaining()) >= 0 && mount.reserve(data.remaining())) {
                buffer.put(offset, data);
                buffered = true;
            }
        }
        CompletableFuture<Void> sent = send(before);
        if (buffered) {
            return sent;
        }
        ByteBuffer own = data.duplicate();
        for (int at = 0; at < own.remaining(); at += MAX_IO) {
            WriteBuffer.Run piece = new WriteBuffer.Run(offset + at, own.slice(own.position() + at,
                    Math.min(MAX_IO, own.remaining() - at)));
            sent = sent.thenCompose(x -> send(piece));
        }
        return sent;
    }

    @Override
    public CompletableFuture<Void> flush() {
        WriteBuffer.Run run;
        synchronized (this) {
            run = takeLocked();
        }
        // Queued behind sends already on their way, so a flush means "everything written before it".
        return run != null ? send(run) : file.serially(() -> CompletableFuture.completedFuture(null));
    }

    @Override
    public CompletableFuture<Void> release() {
        if (released.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return flush().whenComplete((x, e) -> {
            if (released.compareAndSet(false, true)) {
                mount.released(this, file);
            }
        });
    }

    private WriteBuffer.Run takeLocked() {
        int held = buffer.length();
        WriteBuffer.Run run = buffer.take();
        mount.unreserve(held);
        return run;
    }

    private CompletableFuture<Void> send(WriteBuffer.Run run) {
        if (run == null) {
            return CompletableFuture.completedFuture(null);
        }
        return file.serially(() -> mount.writer().write(file.ino, file.view(), run.offset(), run.data()))
                .thenAccept(file::view);
    }

    private <T> CompletableFuture<T> released() {
        return failed(FsError.EBADF, "handle of inode " + file.ino + " was released: open the file again");
    }

    private static <T> CompletableFuture<T> failed(FsError error, String message) {
        return CompletableFuture.failedFuture(FsException.of(error, message));
    }
}
