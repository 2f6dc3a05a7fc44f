#!/usr/bin/env python3
"""POSIX behaviour of the file system mounted at DIR, checked with real system calls and exact errnos.

Usage: posix_suite.py DIR [CHECK...]   (as root; DIR empty; CHECKs: run only these, by name)

Every check prints "ok NAME" or "FAIL NAME: why"; the last line is "posix-suite: P passed, F failed" and the
exit code is 0 only when nothing failed. The same suite runs against ext4/tmpfs (to prove the expectations are
Linux's) and against a Camber mount. Checks that need another user run in a child process that dropped to
nobody (uid/gid 65534), so the kernel's permission checks are what is tested.
"""
import errno
import os
import stat
import subprocess
import sys
import traceback

ROOT = os.path.abspath(sys.argv[1])
NOBODY = 65534
results = []
checks = []


def check(fn):
    checks.append(fn)
    return fn


def run(fn):
    name = fn.__name__
    work = os.path.join(ROOT, name)
    try:
        os.mkdir(work)
        fn(work)
        results.append((name, None))
        print("ok " + name, flush=True)
    except Exception as e:  # one failing check must not hide the others
        detail = "%s: %s" % (type(e).__name__, e)
        results.append((name, detail))
        print("FAIL %s: %s" % (name, detail), flush=True)
        traceback.print_exc(file=sys.stdout)


def expect_errno(code, fn, *args):
    try:
        fn(*args)
    except OSError as e:
        if e.errno != code:
            raise AssertionError("%s%r: expected %s, got %s" % (fn.__name__, args, errno.errorcode[code],
                                                                errno.errorcode.get(e.errno, e.errno)))
        return
    raise AssertionError("%s%r: expected %s, it succeeded" % (fn.__name__, args, errno.errorcode[code]))


def eq(actual, expected, what):
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


def write(path, data, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def open_excl(path):
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))


def as_nobody(fn):
    """Runs fn in a child process with uid and gid 65534 and no supplementary groups; raises what it raised."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.umask(0o022)
            fn()
            os.write(w, b"")
            os._exit(0)
        except BaseException as e:
            os.write(w, ("%s: %s" % (type(e).__name__, e)).encode())
            os._exit(1)
    os.close(w)
    message = os.read(r, 65536).decode()
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise AssertionError("as nobody: " + message)


# ---- error codes ------------------------------------------------------------------------------------------

@check
def enoent(d):
    missing = os.path.join(d, "missing")
    expect_errno(errno.ENOENT, os.stat, missing)
    expect_errno(errno.ENOENT, os.open, missing, os.O_RDONLY)
    expect_errno(errno.ENOENT, os.unlink, missing)
    expect_errno(errno.ENOENT, os.rmdir, missing)
    expect_errno(errno.ENOENT, os.rename, missing, os.path.join(d, "x"))
    expect_errno(errno.ENOENT, os.mkdir, os.path.join(missing, "sub"))
    expect_errno(errno.ENOENT, os.link, missing, os.path.join(d, "l"))
    expect_errno(errno.ENOENT, os.readlink, missing)


@check
def eexist(d):
    f, sub = os.path.join(d, "f"), os.path.join(d, "sub")
    write(f, b"x")
    os.mkdir(sub)
    expect_errno(errno.EEXIST, os.mkdir, sub)
    expect_errno(errno.EEXIST, os.mkdir, f)
    expect_errno(errno.EEXIST, open_excl, f)
    expect_errno(errno.EEXIST, os.link, f, sub)
    expect_errno(errno.EEXIST, os.symlink, "target", f)
    expect_errno(errno.EEXIST, os.mkfifo, f)


@check
def enotempty(d):
    sub = os.path.join(d, "sub")
    os.mkdir(sub)
    write(os.path.join(sub, "f"), b"x")
    expect_errno(errno.ENOTEMPTY, os.rmdir, sub)
    os.unlink(os.path.join(sub, "f"))
    os.rmdir(sub)
    eq(os.path.exists(sub), False, "rmdir of the emptied directory")


@check
def eisdir(d):
    sub = os.path.join(d, "sub")
    os.mkdir(sub)
    f = os.path.join(d, "f")
    write(f, b"x")
    expect_errno(errno.EISDIR, os.open, sub, os.O_WRONLY)
    expect_errno(errno.EISDIR, os.open, sub, os.O_RDWR)
    expect_errno(errno.EISDIR, os.unlink, sub)
    expect_errno(errno.EISDIR, os.rename, f, sub)


@check
def enotdir(d):
    f = os.path.join(d, "f")
    write(f, b"x")
    sub = os.path.join(d, "sub")
    os.mkdir(sub)
    expect_errno(errno.ENOTDIR, os.stat, os.path.join(f, "x"))
    expect_errno(errno.ENOTDIR, os.mkdir, os.path.join(f, "x"))
    expect_errno(errno.ENOTDIR, os.rmdir, f)
    expect_errno(errno.ENOTDIR, os.rename, sub, f)
    expect_errno(errno.ENOTDIR, os.listdir, f)


@check
def enametoolong(d):
    write(os.path.join(d, "n" * 255), b"x")
    eq(os.path.exists(os.path.join(d, "n" * 255)), True, "255-byte name")
    expect_errno(errno.ENAMETOOLONG, write, os.path.join(d, "n" * 256), b"x")
    expect_errno(errno.ENAMETOOLONG, os.mkdir, os.path.join(d, "m" * 256))
    expect_errno(errno.ENAMETOOLONG, os.stat, os.path.join(d, "s" * 300))
    expect_errno(errno.ENAMETOOLONG, os.rename, os.path.join(d, "n" * 255), os.path.join(d, "r" * 256))


# ---- rename -----------------------------------------------------------------------------------------------

@check
def rename_over_existing_file(d):
    a, b = os.path.join(d, "a"), os.path.join(d, "b")
    write(a, b"new")
    write(b, b"old-and-longer")
    ino = os.stat(a).st_ino
    os.rename(a, b)
    eq(os.path.exists(a), False, "source gone")
    eq(read(b), b"new", "target content")
    eq(os.stat(b).st_ino, ino, "target is the source's inode")
    eq(sorted(os.listdir(d)), ["b"], "listing")


@check
def rename_over_empty_and_full_dir(d):
    src, empty, full = (os.path.join(d, n) for n in ("src", "empty", "full"))
    for p in (src, empty, full):
        os.mkdir(p)
    write(os.path.join(src, "inside"), b"1")
    write(os.path.join(full, "x"), b"1")
    expect_errno(errno.ENOTEMPTY, os.rename, src, full)
    os.rename(src, empty)
    eq(read(os.path.join(empty, "inside")), b"1", "child through the new name")
    eq(os.path.exists(src), False, "old name gone")


@check
def rename_into_own_subtree_is_einval(d):
    top = os.path.join(d, "top")
    os.makedirs(os.path.join(top, "mid", "low"))
    expect_errno(errno.EINVAL, os.rename, top, os.path.join(top, "mid", "low", "top"))
    expect_errno(errno.EINVAL, os.rename, top, os.path.join(top, "x"))
    eq(os.path.isdir(os.path.join(top, "mid", "low")), True, "tree intact")


@check
def rename_directory_across_parents(d):
    a, b = os.path.join(d, "a"), os.path.join(d, "b")
    os.makedirs(os.path.join(a, "moving", "deep"))
    os.mkdir(b)
    write(os.path.join(a, "moving", "deep", "f"), b"data")
    links_a, links_b = os.stat(a).st_nlink, os.stat(b).st_nlink
    os.rename(os.path.join(a, "moving"), os.path.join(b, "moved"))
    eq(read(os.path.join(b, "moved", "deep", "f")), b"data", "file below the moved directory")
    eq(os.stat(os.path.join(b, "moved", "..")).st_ino, os.stat(b).st_ino, "'..' of the moved directory")
    eq(os.stat(a).st_nlink, links_a - 1, "old parent's link count")
    eq(os.stat(b).st_nlink, links_b + 1, "new parent's link count")
    os.rename(os.path.join(b, "moved"), os.path.join(b, "moved"))  # to itself: nothing happens
    eq(os.path.isdir(os.path.join(b, "moved")), True, "rename to itself")


# ---- links ------------------------------------------------------------------------------------------------

@check
def hard_link_counts(d):
    a, b, c = (os.path.join(d, n) for n in "abc")
    write(a, b"shared")
    os.link(a, b)
    os.link(b, c)
    eq(os.stat(a).st_nlink, 3, "nlink after two links")
    eq(os.stat(c).st_ino, os.stat(a).st_ino, "same inode")
    write(b, b"changed through b")
    eq(read(c), b"changed through b", "content through another name")
    os.unlink(a)
    eq(os.stat(b).st_nlink, 2, "nlink after one unlink, seen through another name")
    os.unlink(c)
    eq(os.stat(b).st_nlink, 1, "nlink after two unlinks")
    sub = os.path.join(d, "sub")
    os.mkdir(sub)
    expect_errno(errno.EPERM, os.link, sub, os.path.join(d, "sublink"))


@check
def directory_link_counts(d):
    eq(os.stat(d).st_nlink, 2, "empty directory")
    os.mkdir(os.path.join(d, "x"))
    os.mkdir(os.path.join(d, "y"))
    write(os.path.join(d, "f"), b"")
    eq(os.stat(d).st_nlink, 4, "two subdirectories (files do not count)")
    os.rmdir(os.path.join(d, "x"))
    eq(os.stat(d).st_nlink, 3, "after rmdir")


@check
def symlinks(d):
    f, l, dangling = (os.path.join(d, n) for n in ("f", "l", "dangling"))
    write(f, b"target data")
    os.symlink("f", l)
    os.symlink("nowhere/at/all", dangling)
    eq(os.readlink(l), "f", "readlink")
    eq(stat.S_ISLNK(os.lstat(l).st_mode), True, "lstat type")
    eq(read(l), b"target data", "read through the link")
    expect_errno(errno.ENOENT, os.stat, dangling)
    eq(os.readlink(dangling), "nowhere/at/all", "dangling readlink")
    long_target = "t" * 4000
    os.symlink(long_target, os.path.join(d, "long"))
    eq(os.readlink(os.path.join(d, "long")), long_target, "4000-byte target")


@check
def unlinked_open_file_stays_readable_until_closed(d):
    f = os.path.join(d, "f")
    fd = os.open(f, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        os.write(fd, b"still here")
        os.unlink(f)
        expect_errno(errno.ENOENT, os.stat, f)
        eq("f" in os.listdir(d), False, "name gone from the listing")
        eq(os.pread(fd, 100, 0), b"still here", "read through the open descriptor")
        os.pwrite(fd, b" and more", 10)
        eq(os.pread(fd, 100, 0), b"still here and more", "write after unlink")
        eq(os.fstat(fd).st_size, 19, "fstat size")
    finally:
        os.close(fd)
    expect_errno(errno.ENOENT, os.stat, f)


# ---- data -------------------------------------------------------------------------------------------------

@check
def truncate_down_and_up(d):
    f = os.path.join(d, "f")
    data = os.urandom(10000)
    write(f, data)
    os.truncate(f, 5000)
    eq(os.stat(f).st_size, 5000, "size after truncate down")
    eq(read(f), data[:5000], "kept prefix")
    os.truncate(f, 20000)
    eq(os.stat(f).st_size, 20000, "size after truncate up")
    eq(read(f), data[:5000] + bytes(15000), "zeros past the old end")
    fd = os.open(f, os.O_RDWR)
    try:
        os.ftruncate(fd, 3)
        eq(os.fstat(fd).st_size, 3, "ftruncate")
        os.pwrite(fd, b"Z", 8191)
        eq(os.pread(fd, 8192, 0), data[:3] + bytes(8188) + b"Z", "write past a truncated end")
    finally:
        os.close(fd)
    write(f, b"")
    eq(os.stat(f).st_size, 0, "O_TRUNC")


@check
def sparse_file(d):
    f = os.path.join(d, "sparse")
    hole = 64 << 20
    fd = os.open(f, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        os.pwrite(fd, b"S" * 4096, hole)
    finally:
        os.close(fd)
    st = os.stat(f)
    eq(st.st_size, hole + 4096, "size")
    if st.st_blocks * 512 >= 1 << 20:
        raise AssertionError("a 64 MiB hole takes %d bytes of blocks" % (st.st_blocks * 512))
    fd = os.open(f, os.O_RDONLY)
    try:
        eq(os.pread(fd, 4096, hole // 2), bytes(4096), "zeros in the hole")
        eq(os.pread(fd, 8192, hole), b"S" * 4096, "data after the hole, short read at the end")
    finally:
        os.close(fd)


@check
def unaligned_writes_and_append(d):
    f = os.path.join(d, "f")
    expected = bytearray()
    fd = os.open(f, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        for i, size in enumerate((1, 4095, 4097, 70000, 3, 131072 + 7)):
            chunk = os.urandom(size)
            os.pwrite(fd, chunk, len(expected))
            expected += chunk
        os.pwrite(fd, b"XYZ", 5000)
        expected[5000:5003] = b"XYZ"
    finally:
        os.close(fd)
    eq(read(f), bytes(expected), "content")
    fd = os.open(f, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, b"appended")
    finally:
        os.close(fd)
    eq(read(f), bytes(expected) + b"appended", "O_APPEND")


@check
def two_descriptors_see_each_others_writes(d):
    f = os.path.join(d, "f")
    write(f, b"")
    w = os.open(f, os.O_WRONLY)
    r = os.open(f, os.O_RDONLY)
    try:
        os.pwrite(w, b"0123456789", 0)
        eq(os.fstat(r).st_size, 10, "size through the other descriptor")
        eq(os.pread(r, 10, 0), b"0123456789", "bytes through the other descriptor")
    finally:
        os.close(w)
        os.close(r)


# ---- attributes -------------------------------------------------------------------------------------------

@check
def chmod_chown_utimens(d):
    f = os.path.join(d, "f")
    write(f, b"x", 0o600)
    os.chmod(f, 0o4751)
    eq(stat.S_IMODE(os.stat(f).st_mode), 0o4751, "mode with setuid")
    eq(stat.S_ISREG(os.stat(f).st_mode), True, "type kept")
    os.chown(f, 1234, 5678)
    st = os.stat(f)
    eq((st.st_uid, st.st_gid), (1234, 5678), "owner")
    os.chown(f, -1, 42)
    eq((os.stat(f).st_uid, os.stat(f).st_gid), (1234, 42), "uid -1 kept")
    os.utime(f, ns=(1_000_000_123_456_789, 1_500_000_987_654_321))
    st = os.stat(f)
    eq(st.st_atime_ns, 1_000_000_123_456_789, "atime to the ns")
    eq(st.st_mtime_ns, 1_500_000_987_654_321, "mtime to the ns")
    before = os.stat(f).st_ctime_ns
    os.chmod(f, 0o644)
    if os.stat(f).st_ctime_ns < before:
        raise AssertionError("ctime went backwards on chmod")


@check
def mtime_moves_on_write_and_create(d):
    f = os.path.join(d, "f")
    write(f, b"x")
    os.utime(f, ns=(10**18, 10**18))
    os.utime(d, ns=(10**18, 10**18))
    write(f, b"y")
    if os.stat(f).st_mtime_ns <= 10**18:
        raise AssertionError("mtime did not move on write")
    write(os.path.join(d, "g"), b"")
    if os.stat(d).st_mtime_ns <= 10**18:
        raise AssertionError("directory mtime did not move on create")


@check
def special_files(d):
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo, 0o640)
    eq(stat.S_ISFIFO(os.stat(fifo).st_mode), True, "fifo type")
    os.mknod(os.path.join(d, "null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    st = os.stat(os.path.join(d, "null"))
    eq((stat.S_ISCHR(st.st_mode), os.major(st.st_rdev), os.minor(st.st_rdev)), (True, 1, 3), "char device")


@check
def xattrs(d):
    f = os.path.join(d, "f")
    write(f, b"x")
    os.setxattr(f, "user.colour", b"blue")
    eq(os.getxattr(f, "user.colour"), b"blue", "get")
    eq("user.colour" in os.listxattr(f), True, "list")
    expect_errno(errno.EEXIST, os.setxattr, f, "user.colour", b"red", os.XATTR_CREATE)
    expect_errno(errno.ENODATA, os.setxattr, f, "user.size", b"1", os.XATTR_REPLACE)
    os.setxattr(f, "user.colour", b"red", os.XATTR_REPLACE)
    eq(os.getxattr(f, "user.colour"), b"red", "replaced")
    binary = bytes(range(256)) * 7  # ext4 keeps all of a file's xattrs in one 4 KiB block
    os.setxattr(f, "user.binary", binary)
    eq(os.getxattr(f, "user.binary"), binary, "1792-byte binary value")
    expect_errno(errno.ENODATA, os.getxattr, f, "user.none")
    os.removexattr(f, "user.colour")
    expect_errno(errno.ENODATA, os.getxattr, f, "user.colour")
    expect_errno(errno.ENODATA, os.removexattr, f, "user.colour")
    eq(sorted(n for n in os.listxattr(f) if n.startswith("user.")), ["user.binary"], "list after remove")
    sub = os.path.join(d, "sub")
    os.mkdir(sub)
    os.setxattr(sub, "user.dir", b"")
    eq(os.getxattr(sub, "user.dir"), b"", "empty value on a directory")


@check
def readdir_lists_every_entry_with_dot_and_dotdot(d):
    names = {"file-%04d" % i for i in range(1500)}
    for n in names:
        os.close(os.open(os.path.join(d, n), os.O_CREAT | os.O_WRONLY, 0o644))
    os.mkdir(os.path.join(d, "a-dir"))
    listed = os.listdir(d)
    eq(len(listed), len(names) + 1, "entry count")
    eq(set(listed), names | {"a-dir"}, "names")
    out = subprocess.run(["ls", "-a1", d], check=True, capture_output=True, text=True).stdout.split("\n")
    eq(out[:2], [".", ".."], "'.' and '..' first")
    inodes = {e.name: e.inode() for e in os.scandir(d)}
    eq(inodes["file-0001"], os.stat(os.path.join(d, "file-0001")).st_ino, "readdir reports the real inode")
    eq([e.name for e in os.scandir(d) if e.is_dir()], ["a-dir"], "entry types")


@check
def statfs(d):
    st = os.statvfs(d)
    eq(st.f_namemax, 255, "f_namemax")
    if st.f_bsize <= 0 or st.f_blocks <= 0:
        raise AssertionError("statvfs reports no capacity: %r" % (st,))


# ---- permissions for a user other than root ----------------------------------------------------------------

@check
def permission_bits_for_another_user(d):
    os.chmod(d, 0o755)
    secret, public, shared = (os.path.join(d, n) for n in ("secret", "public", "shared"))
    write(secret, b"root only", 0o600)
    write(public, b"everyone reads", 0o644)
    os.mkdir(shared, 0o777)
    os.chmod(shared, 0o777)
    sticky = os.path.join(d, "sticky")
    os.mkdir(sticky)
    os.chmod(sticky, 0o1777)
    write(os.path.join(sticky, "roots"), b"x")
    os.chmod(os.path.join(sticky, "roots"), 0o666)
    closed = os.path.join(d, "closed")
    os.mkdir(closed, 0o700)
    write(os.path.join(closed, "inside"), b"x")

    def nobody():
        expect_errno(errno.EACCES, read, secret)
        eq(read(public), b"everyone reads", "read 0644")
        expect_errno(errno.EACCES, os.open, public, os.O_WRONLY)
        expect_errno(errno.EACCES, write, os.path.join(d, "new"), b"x")
        expect_errno(errno.EACCES, os.mkdir, os.path.join(d, "newdir"))
        expect_errno(errno.EACCES, os.unlink, public)
        expect_errno(errno.EACCES, os.stat, os.path.join(closed, "inside"))
        expect_errno(errno.EACCES, os.listdir, closed)
        expect_errno(errno.EPERM, os.chmod, public, 0o666)
        expect_errno(errno.EPERM, os.chown, public, NOBODY, NOBODY)
        expect_errno(errno.EPERM, os.utime, public, (1, 1))
        mine = os.path.join(shared, "mine")
        write(mine, b"made by nobody", 0o666)
        st = os.stat(mine)
        eq((st.st_uid, st.st_gid), (NOBODY, NOBODY), "owner of a new file")
        eq(stat.S_IMODE(st.st_mode), 0o644, "mode after umask 022")
        os.chmod(mine, 0o600)
        expect_errno(errno.EPERM, os.chown, mine, 0, -1)
        expect_errno(errno.EPERM, os.unlink, os.path.join(sticky, "roots"))
        fd = os.open(os.path.join(sticky, "roots"), os.O_WRONLY)  # 0666: writable, just not removable
        os.close(fd)

    as_nobody(nobody)
    eq(read(os.path.join(shared, "mine")), b"made by nobody", "root reads nobody's 0600 file")
    eq(stat.S_IMODE(os.stat(os.path.join(shared, "mine")).st_mode), 0o600, "nobody's chmod")


def main():
    if os.geteuid() != 0:
        sys.exit("posix_suite.py runs as root: it creates device nodes, chowns and drops to nobody")
    os.umask(0o022)
    os.chmod(ROOT, 0o755)  # the user checks must reach their directory
    only = set(sys.argv[2:])
    unknown = only - {c.__name__ for c in checks}
    if unknown:
        sys.exit("no such checks: " + ", ".join(sorted(unknown)))
    for fn in checks:
        if not only or fn.__name__ in only:
            run(fn)
    failed = [r for r in results if r[1]]
    print("posix-suite: %d passed, %d failed" % (len(results) - len(failed), len(failed)), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
