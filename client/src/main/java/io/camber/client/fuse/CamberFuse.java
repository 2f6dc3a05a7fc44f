package io.camber.client.fuse;

import io.camber.client.fs.CamberFs;
import io.camber.client.fs.CamberFs.AttrChange;
import io.camber.client.fs.CamberFs.Caller;
import io.camber.client.fuse.OpenFiles.OpenFile;
import io.camber.meta.fs.FileType;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import io.camber.meta.fs.Inode;
import io.camber.meta.protocol.MetaResult.Entry;
import io.camber.meta.protocol.SetAttrMask;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.uid_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * libfuse's path-based callbacks answered by a {@link CamberFs}: paths become inodes through the
 * {@link PathResolver}, fi.fh carries an {@link OpenFiles} number, failures become -errno through {@link FuseErrno}.
 * Permission checks are the kernel's ({@code default_permissions}); this class only says who creates what.
 */
final class CamberFuse extends FuseStubFS {
    private static final Logger log = LoggerFactory.getLogger(CamberFuse.class);
    private static final int O_ACCMODE = 3;
    private static final int O_EXCL = 0200;
    private static final int O_TRUNC = 01000;
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final int READDIR_PAGE = 1024;

    private final CamberFs fs;
    private final Await await;
    private final LookupCache cache;
    private final Statahead statahead;
    private final PathResolver paths;
    private final OpenFiles files = new OpenFiles();
    private final OpStats stats = new OpStats();
    private final KernelProbes probes;
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();

    CamberFuse(CamberFs fs, FuseOptions options) {
        this.fs = fs;
        this.await = new Await(options.opTimeout());
        this.cache = new LookupCache(options.entryTimeout(), options.attrTimeout(), System::nanoTime);
        this.statahead = new Statahead(fs::readdir, cache, options.entryTimeout(), System::nanoTime);
        this.paths = new PathResolver(fs, cache, await, statahead);
        this.probes = new KernelProbes(options.attrTimeout(), System::nanoTime);
    }

    /** Completes when the kernel has connected, i.e. the mount is usable. */
    CompletableFuture<Void> initialized() {
        return initialized;
    }

    OpenFiles openFiles() {
        return files;
    }

    OpStats stats() {
        return stats;
    }

    @Override
    public Pointer init(Pointer conn) {
        initialized.complete(null);
        return null;
    }

    // ---- attributes -------------------------------------------------------------------------------------

    @Override
    public int getattr(String path, FileStat stat) {
        return run("getattr", path, () -> fill(stat, paths.attr(path)));
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        return run("fgetattr", path, () -> {
            long ino = files.get(fi.fh.get()).ino();
            Inode known = cache.attr(ino);
            fill(stat, known != null ? known : paths.fetch(ino));
        });
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        return run("chmod", path, () -> setattr(paths.ino(path),
                change(SetAttrMask.MODE, (int) mode & FileType.PERMISSION_MASK, 0, 0, 0, 0, 0)));
    }

    @Override
    public int chown(String path, @uid_t long uid, @gid_t long gid) {
        return run("chown", path, () -> {
            // (uid_t) -1 means "leave as is"; jnr hands it over unsigned
            int mask = (isMinusOne(uid) ? 0 : SetAttrMask.UID) | (isMinusOne(gid) ? 0 : SetAttrMask.GID);
            if (mask != 0) {
                setattr(paths.ino(path), change(mask, 0, (int) uid, (int) gid, 0, 0, 0));
            }
        });
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return run("truncate", path, () -> truncateTo(paths.ino(path), size));
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return run("ftruncate", path, () -> truncateTo(files.get(fi.fh.get()).ino(), size));
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return run("utimens", path, () -> {
            long now = nowNanos();
            int mask = 0;
            long[] nanos = new long[2];
            for (int i = 0; i < 2; i++) {
                long nsec = timespec[i].tv_nsec.longValue();
                if (nsec == UTIME_OMIT) {
                    continue;
                }
                mask |= i == 0 ? SetAttrMask.ATIME : SetAttrMask.MTIME;
                nanos[i] = nsec == UTIME_NOW ? now : timespec[i].tv_sec.get() * 1_000_000_000L + nsec;
            }
            if (mask != 0) {
                setattr(paths.ino(path), change(mask, 0, 0, 0, nanos[0], nanos[1], 0));
            }
        });
    }

    // ---- names ------------------------------------------------------------------------------------------

    @Override
    public int mknod(String path, @mode_t long mode, @dev_t long rdev) {
        return run("mknod", path, () -> created(path, await.on(
                fs.mknod(parentIno(path), FusePaths.name(path), (int) mode, rdev, caller(path)))));
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        return run("mkdir", path, () -> {
            Caller caller = caller(path);
            int bits = (int) mode & FileType.PERMISSION_MASK;
            if (setgidParent(path)) {
                bits |= 02000; // BSD group semantics: directories in a setgid directory stay setgid
            }
            created(path, await.on(fs.mkdir(parentIno(path), FusePaths.name(path),
                    FileType.DIRECTORY.mode(bits), caller)));
        });
    }

    @Override
    public int symlink(String target, String path) {
        return run("symlink", path, () -> created(path, await.on(
                fs.symlink(parentIno(path), FusePaths.name(path), target, caller(path)))));
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        return run("readlink", path, () -> {
            byte[] target = await.on(fs.readlink(paths.ino(path))).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(target.length, size - 1); // readlink's contract here: NUL-terminated, truncated
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
        });
    }

    @Override
    public int link(String existing, String path) {
        return run("link", path, () -> {
            Inode linked = await.on(fs.link(paths.ino(existing), parentIno(path), FusePaths.name(path)));
            changedDir(path);
            cache.put(path, linked);
        });
    }

    @Override
    public int unlink(String path) {
        return run("unlink", path, () -> {
            long ino = paths.ino(path); // to drop its attributes: its other names' link count changes
            await.on(fs.unlink(parentIno(path), FusePaths.name(path)));
            forgetName(path, ino);
        });
    }

    @Override
    public int rmdir(String path) {
        return run("rmdir", path, () -> {
            await.on(fs.rmdir(parentIno(path), FusePaths.name(path)));
            forgetName(path, null);
        });
    }

    @Override
    public int rename(String from, String to) {
        return run("rename", from, () -> {
            long moved = paths.ino(from);
            Long replaced = existingIno(to);
            await.on(fs.rename(parentIno(from), FusePaths.name(from), parentIno(to), FusePaths.name(to)));
            forgetName(from, moved); // its ctime, and ".." of a moved directory
            forgetName(to, replaced); // the replaced inode lost a link
        });
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        return run("readdir", path, () -> {
            Inode dir = paths.attr(path);
            FileStat stat = new FileStat(Runtime.getSystemRuntime());
            stat.useMemory(jnr.ffi.Memory.allocateDirect(Runtime.getSystemRuntime(), Struct.size(stat)));
            dirEntry(filler, buf, stat, ".", dir.ino(), FileType.DIRECTORY);
            dirEntry(filler, buf, stat, "..", path.equals("/") ? dir.ino() : dir.parent(), FileType.DIRECTORY);
            String after = null;
            while (true) {
                long changesBefore = cache.changes();
                List<Entry> page = await.on(fs.readdir(dir.ino(), after, READDIR_PAGE));
                cache.putListed(path, page, changesBefore); // ls -l and find stat every entry next
                for (Entry e : page) {
                    dirEntry(filler, buf, stat, e.name(), e.ino(), e.type());
                }
                if (page.size() < READDIR_PAGE) {
                    return;
                }
                after = page.get(page.size() - 1).name();
            }
        });
    }

    // ---- files ------------------------------------------------------------------------------------------

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        return run("create", path, () -> {
            Inode inode;
            try {
                inode = await.on(fs.mknod(parentIno(path), FusePaths.name(path),
                        FileType.REGULAR.mode((int) mode), 0, caller(path)));
                created(path, inode);
                probes.created(inode.ino());
            } catch (RuntimeException e) {
                // another client made it between the kernel's lookup and our create: open it, unless O_EXCL
                if ((fi.flags.get() & O_EXCL) != 0 || !(FuseErrno.unwrap(e) instanceof FsException fe)
                        || fe.error() != FsError.EEXIST) {
                    throw e;
                }
                cache.forgetTree(path);
                Inode existing = paths.attr(path);
                OpenFile opened = files.add(await.on(fs.open(existing.ino(), writable(fi))));
                if ((fi.flags.get() & O_TRUNC) != 0 && writable(fi)) {
                    try {
                        truncateTo(existing.ino(), 0); // open(2) truncates an existing file it opens with O_TRUNC
                    } catch (RuntimeException refused) {
                        files.remove(opened.fh); // the kernel gets an error, so it will never release this handle
                        opened.handle.release();
                        throw refused;
                    }
                }
                fi.fh.set(opened.fh);
                return;
            }
            fi.fh.set(files.add(await.on(fs.openCreated(inode, writable(fi)))).fh);
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return run("open", path, () -> {
            long ino = paths.ino(path);
            cache.forgetAttr(ino); // close-to-open: an open sees what other clients closed
            fi.fh.set(files.add(await.on(fs.open(ino, writable(fi)))).fh);
        });
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return runCounting("read", path, () -> {
            OpenFile file = files.get(fi.fh.get());
            for (OpenFile other : files.dirty(file.ino())) {
                if (other != file) {
                    flush(other); // POSIX: a read sees every write made before it through this mount
                }
            }
            ByteBuffer data = await.on(file.handle.read(offset, (int) size));
            int n = data.remaining();
            byte[] bytes = new byte[n];
            data.get(bytes);
            buf.put(0, bytes, 0, n);
            return n;
        });
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        return runCounting("write", path, () -> {
            OpenFile file = files.get(fi.fh.get());
            byte[] bytes = new byte[(int) size];
            buf.get(0, bytes, 0, bytes.length);
            await.on(file.handle.write(offset, ByteBuffer.wrap(bytes)));
            file.wrote(offset, bytes.length);
            return bytes.length;
        });
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return run("flush", path, () -> flush(files.get(fi.fh.get())));
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return run("fsync", path, () -> flush(files.get(fi.fh.get())));
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return run("release", path, () -> {
            OpenFile file = files.remove(fi.fh.get());
            boolean flushes = file.dirty();
            await.on(file.handle.release());
            if (flushes) {
                cache.changed(); // the release flushed: the size changed
            }
            cache.forgetAttr(file.ino()); // size and extents as the release recorded them
        });
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return run("statfs", path, () -> StatFill.fs(stbuf, probes.usage(() -> await.on(fs.statfs()))));
    }

    // ---- xattrs -----------------------------------------------------------------------------------------

    @Override
    public int setxattr(String path, String name, Pointer value, @size_t long size, int flags) {
        return run("setxattr", path, () -> {
            byte[] bytes = new byte[(int) size];
            value.get(0, bytes, 0, bytes.length);
            long ino = paths.ino(path);
            await.on(fs.setxattr(ino, name, bytes, flags));
            cache.changed(); // its ctime changed
            cache.forgetAttr(ino);
            probes.xattrsChanged(ino);
        });
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        return runCounting("getxattr", path, () -> {
            long ino = paths.ino(path);
            return copyOut(probes.xattr(ino, name, () -> await.on(fs.getxattr(ino, name))), value, size);
        });
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        return runCounting("listxattr", path, () -> {
            StringBuilder names = new StringBuilder();
            for (String n : await.on(fs.listxattr(paths.ino(path)))) {
                names.append(n).append('\0');
            }
            return copyOut(names.toString().getBytes(StandardCharsets.UTF_8), list, size);
        });
    }

    @Override
    public int removexattr(String path, String name) {
        return run("removexattr", path, () -> {
            long ino = paths.ino(path);
            probes.xattrsChanged(ino);
            await.on(fs.removexattr(ino, name));
            cache.changed(); // its ctime changed
            cache.forgetAttr(ino);
        });
    }

    // ---- plumbing ---------------------------------------------------------------------------------------

    /** size 0 asks for the length only; a too-small buffer is ERANGE, as getxattr(2) and listxattr(2) say. */
    private static int copyOut(byte[] bytes, Pointer into, long size) {
        if (size == 0) {
            return bytes.length;
        }
        if (size < bytes.length) {
            throw new FuseErrno.Refused(FuseErrno.ERANGE, "buffer of " + size + " bytes, " + bytes.length + " needed");
        }
        into.put(0, bytes, 0, bytes.length);
        return bytes.length;
    }

    private void fill(FileStat stat, Inode inode) {
        StatFill.file(stat, inode, Math.max(inode.size(), files.dirtyEnd(inode.ino())));
    }

    private void setattr(long ino, AttrChange change) {
        Inode changed = await.on(fs.setattr(ino, change));
        cache.changed();
        cache.putAttr(changed);
    }

    /** Writes through this mount land before the size changes, or a late flush would undo a truncate. */
    private void truncateTo(long ino, long size) {
        for (OpenFile f : files.dirty(ino)) {
            flush(f);
        }
        setattr(ino, change(SetAttrMask.SIZE, 0, 0, 0, 0, 0, size));
    }

    private void flush(OpenFile file) {
        long seen = file.dirtyEnd();
        await.on(file.handle.flush());
        if (seen >= 0) {
            cache.changed(); // the size and data changed
        }
        file.markFlushed(seen);
        cache.forgetAttr(file.ino());
    }

    /** The inode path names, or null when it names nothing. */
    private Long existingIno(String path) {
        try {
            return paths.ino(path);
        } catch (RuntimeException e) {
            if (FuseErrno.unwrap(e) instanceof FsException fe && fe.error() == FsError.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    private long parentIno(String path) {
        return paths.ino(FusePaths.parent(path));
    }

    private void created(String path, Inode inode) {
        changedDir(path);
        cache.put(path, inode);
    }

    private void forgetName(String path, Long ino) {
        changedDir(path);
        cache.forgetTree(path);
        if (ino != null) {
            cache.forgetAttr(ino); // its link count or its existence changed
        }
    }

    /** The parent's mtime and, for directories, link count changed. */
    private void changedDir(String path) {
        cache.changed();
        Long parent = cache.ino(FusePaths.parent(path));
        long dir = parent != null ? parent : CamberFs.ROOT;
        statahead.changed(dir);
        cache.forgetAttr(dir);
    }

    /** The calling process's ids; the group is the directory's when it is setgid (BSD semantics, as ext4). */
    private Caller caller(String path) {
        FuseContext ctx = getContext();
        int uid = (int) ctx.uid.get();
        int gid = (int) ctx.gid.get();
        Inode parent = paths.attr(FusePaths.parent(path));
        return new Caller(uid, (parent.mode() & 02000) != 0 ? parent.gid() : gid);
    }

    private boolean setgidParent(String path) {
        return (paths.attr(FusePaths.parent(path)).mode() & 02000) != 0;
    }

    private static void dirEntry(FuseFillDir filler, Pointer buf, FileStat stat, String name, long ino, FileType type) {
        stat.st_ino.set(ino);
        stat.st_mode.set(type.bits());
        filler.apply(buf, name, stat, 0);
    }

    private static boolean writable(FuseFileInfo fi) {
        return (fi.flags.get() & O_ACCMODE) != 0;
    }

    private static boolean isMinusOne(long id) {
        return id == -1 || id == 0xFFFF_FFFFL;
    }

    private static AttrChange change(int mask, int mode, int uid, int gid, long atime, long mtime, long size) {
        return new AttrChange(mask, mode, uid, gid, atime, mtime, size);
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private interface Body {
        void run();
    }

    private interface CountingBody {
        int run();
    }

    private int run(String op, String path, Body body) {
        return runCounting(op, path, () -> {
            body.run();
            return 0;
        });
    }

    /** Runs a callback; a failure becomes its -errno, logged unless it is an ordinary answer such as ENOENT. */
    private int runCounting(String op, String path, CountingBody body) {
        long start = System.nanoTime();
        try {
            int result = body.run();
            stats.record(op, System.nanoTime() - start, false);
            return result;
        } catch (Throwable t) {
            stats.record(op, System.nanoTime() - start, true);
            int errno = FuseErrno.of(t);
            if (!FuseErrno.expected(t)) {
                log.warn("event=fuse_op_failed op={} path={} errno={} error={}", op, path, -errno,
                        FuseErrno.unwrap(t).toString());
            }
            return errno;
        }
    }
}
