package io.camber.client.fs;

import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaResult.Entry;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One Camber file system as its users see it: what the FUSE adapter and the S3 proxy call. Calls are by inode, as
 * FUSE's low-level API is, with {@link #resolve} for callers that hold paths. Nothing here blocks a thread; a
 * refusal completes the future exceptionally with an {@link io.camber.meta.fs.FsException} carrying the errno.
 *
 * <p>Consistency is close-to-open: data written through a handle is visible to other clients once the handle was
 * flushed or closed, and a later open (on any client) sees it.
 */
public interface CamberFs extends AutoCloseable {
    /** The root directory's inode. */
    long ROOT = 1;

    CompletableFuture<Inode> lookup(long parent, String name);

    CompletableFuture<Inode> getattr(long ino);

    /** Changes what {@code change} selects; a size change truncates or extends the file. */
    CompletableFuture<Inode> setattr(long ino, AttrChange change);

    /** Creates a regular file, fifo, socket or device node; the type is in mode (S_IFREG, S_IFIFO...). */
    CompletableFuture<Inode> mknod(long parent, String name, int mode, long rdev, Caller caller);

    CompletableFuture<Inode> mkdir(long parent, String name, int mode, Caller caller);

    CompletableFuture<Inode> symlink(long parent, String name, String target, Caller caller);

    CompletableFuture<String> readlink(long ino);

    /** A new name for ino; answers ino's attributes with the raised link count. */
    CompletableFuture<Inode> link(long ino, long newParent, String newName);

    CompletableFuture<Void> unlink(long parent, String name);

    CompletableFuture<Void> rmdir(long parent, String name);

    /** POSIX rename: atomic, replacing a compatible target, within or across directories and partitions. */
    CompletableFuture<Void> rename(long parent, String name, long newParent, String newName);

    /** Up to max entries of a directory after the name {@code after} (null: from the start), with attributes. */
    CompletableFuture<List<Entry>> readdir(long dir, String after, int max);

    CompletableFuture<FsUsage> statfs();

    CompletableFuture<byte[]> getxattr(long ino, String name);

    CompletableFuture<List<String>> listxattr(long ino);

    /** flags as setxattr(2): XATTR_CREATE (1), XATTR_REPLACE (2) or 0. */
    CompletableFuture<Void> setxattr(long ino, String name, byte[] value, int flags);

    CompletableFuture<Void> removexattr(long ino, String name);

    /**
     * Moves the bytes of sources, in order, into the empty file target without copying them (their extents change
     * owner in one partition command), leaving the sources empty. Fails with EXDEV when the files are not all in
     * one partition and EINVAL when a source keeps its bytes inline or one before the last is not whole 4 KiB
     * blocks: then copy. Buffered writes of this mount to the sources are flushed first.
     */
    CompletableFuture<Inode> join(long target, List<Long> sources);

    /** Opens a regular file for reading, or for reading and writing. */
    CompletableFuture<FileHandle> open(long ino, boolean write);

    /**
     * Opens a regular file whose inode was just answered by the partition (create's reply), without asking for it
     * again: nothing can be fresher for close-to-open.
     */
    CompletableFuture<FileHandle> openCreated(Inode created, boolean write);

    /** The inode a path names, following no symlinks but resolving "." and ".." ; "/" is the root. */
    CompletableFuture<Inode> resolve(String path);

    /**
     * Mounts a file system: describes it at the MDS (an unknown name fails with ENOENT) and connects to its
     * partitions. The mount holds one Ratis client per partition and, once a file is opened, the data volume.
     */
    static CompletableFuture<CamberFs> mount(io.camber.client.mds.MdsAdminClient mds,
                                             io.camber.client.chunk.ChunkClient chunks, String fsName,
                                             Options options) {
        return Mounts.mount(mds, chunks, fsName, options);
    }

    /**
     * How a mount behaves.
     *
     * @param clientName       names this mount in the MDS's sessions and in logs
     * @param raft             Ratis client settings for the partitions (message size, timeouts)
     * @param renameTtl        how long a prepared cross-partition rename may wait for its client before anyone who
     *                         meets it aborts it
     * @param busyBudget       how long a call keeps retrying a name held by a rename in flight (EBUSY, EAGAIN)
     * @param writeBufferBytes small writes a handle coalesces before sending them (per handle)
     * @param mountBufferBytes buffered bytes of all handles of the mount together; past it writes go out at once
     * @param orphanKeepAlive  how often the mount keeps files it has open but whose last name went from GC; must be
     *                         well within the meta-services' {@code camber.meta.gc.orphan-grace} (60 s by default)
     */
    record Options(String clientName, io.camber.server.raft.RaftSettings raft, java.time.Duration renameTtl,
                   java.time.Duration busyBudget, int writeBufferBytes, long mountBufferBytes,
                   java.time.Duration orphanKeepAlive) {

        /** The options with the default orphan keep-alive (15 s). */
        public Options(String clientName, io.camber.server.raft.RaftSettings raft, java.time.Duration renameTtl,
                       java.time.Duration busyBudget, int writeBufferBytes, long mountBufferBytes) {
            this(clientName, raft, renameTtl, busyBudget, writeBufferBytes, mountBufferBytes,
                    java.time.Duration.ofSeconds(15));
        }

        public Options {
            if (orphanKeepAlive == null || orphanKeepAlive.toMillis() < 1) {
                throw new IllegalArgumentException("orphanKeepAlive must be at least 1 ms, not " + orphanKeepAlive);
            }
            if (clientName == null || clientName.isBlank()) {
                throw new IllegalArgumentException("clientName must name this mount, for example host:pid");
            }
            if (renameTtl.isNegative() || busyBudget.isNegative() || writeBufferBytes < 0
                    || mountBufferBytes < writeBufferBytes) {
                throw new IllegalArgumentException("durations must be 0 or more, writeBufferBytes 0 or more and at "
                        + "most mountBufferBytes");
            }
        }

        /** 30 s rename ttl, 10 s busy budget, 4 MiB write buffer per handle, 64 MiB per mount, 15 s keep-alive. */
        public static Options defaults(String clientName) {
            return new Options(clientName, io.camber.server.raft.RaftSettings.defaults(),
                    java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(10), 4 << 20, 64L << 20);
        }

        public Options withOrphanKeepAlive(java.time.Duration every) {
            return new Options(clientName, raft, renameTtl, busyBudget, writeBufferBytes, mountBufferBytes, every);
        }
    }

    /** Who creates a node: its owner, and the umask already applied to mode by the caller. */
    record Caller(int uid, int gid) {
    }

    /** What a setattr changes: each field is used only when its flag is in mask ({@link io.camber.meta.protocol.SetAttrMask}). */
    record AttrChange(int mask, int mode, int uid, int gid, long atimeNanos, long mtimeNanos, long size) {
    }

    /** Capacity as statfs(2) reports it, in bytes and inodes. */
    record FsUsage(long totalBytes, long usedBytes, long freeBytes, long inodes, long freeInodes) {
    }

    /** An open file. Writes are visible to others after {@link #flush} or {@link #close}. */
    interface FileHandle extends AutoCloseable {
        long ino();

        /** Up to length bytes at offset (at most 64 MiB a call); fewer at the end of the file, zeros in holes. */
        CompletableFuture<ByteBuffer> read(long offset, int length);

        /**
         * Writes data at offset, growing the file as needed. Small writes are buffered and complete at once; data
         * must stay unchanged until the future completes (a large write is sent from it without a copy).
         */
        CompletableFuture<Void> write(long offset, ByteBuffer data);

        /** Makes what was written durable and visible (data on a majority of replicas, size and extents recorded). */
        CompletableFuture<Void> flush();

        /** Flushes, then lets go of the handle. */
        CompletableFuture<Void> release();

        @Override
        default void close() {
            release().join();
        }
    }

    /** Lets go of the partition clients and the data volume; open handles are released first. */
    @Override
    void close();
}
