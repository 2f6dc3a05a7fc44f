package io.camber.client.fuse;

import io.camber.client.fs.CamberFs.FsUsage;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers for questions the kernel and tools ask far more often than the answer changes, kept for the attribute
 * timeout. Measured on FuseMountIT's workloads: the kernel asks for {@code security.capability} before every write
 * to a file (29,677 getxattr calls, all ENODATA, 0.75 ms each), and tools call statfs before many operations
 * (21,948 calls at 5.5 ms each, since statfs asks every partition and the MDS). Only {@code security.*} absences
 * are kept, so user xattrs stay exact; a local set or remove of the inode's xattrs forgets its entries. A file
 * this mount just created has none, so the first write to it does not ask either.
 */
final class KernelProbes {
    private record Timed<T>(T value, long expiresAt) {
    }

    private final long ttlNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Long, ConcurrentHashMap<String, Long>> absentSecurityXattrs =
            new ConcurrentHashMap<>();
    /** Inodes this mount created, until when their lack of any xattr is trusted. */
    private final ConcurrentHashMap<Long, Long> createdBare = new ConcurrentHashMap<>();
    private volatile Timed<FsUsage> usage;

    KernelProbes(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
    }

    /** The file system's usage, asked of the cluster at most once per ttl. */
    FsUsage usage(Supplier<FsUsage> fetch) {
        Timed<FsUsage> known = usage;
        long now = clock.getAsLong();
        if (known != null && known.expiresAt - now > 0) {
            return known.value;
        }
        FsUsage fresh = fetch.get();
        if (ttlNanos > 0) {
            usage = new Timed<>(fresh, now + ttlNanos);
        }
        return fresh;
    }

    /** An xattr value, answered ENODATA without a round trip when a security.* name was just found absent. */
    byte[] xattr(long ino, String name, Supplier<byte[]> fetch) {
        if (!name.startsWith("security.") || ttlNanos == 0) {
            return fetch.get();
        }
        ConcurrentHashMap<String, Long> absent = absentSecurityXattrs.get(ino);
        Long absentUntil = absent == null ? null : absent.get(name);
        if (absentUntil == null) {
            absentUntil = createdBare.get(ino);
        }
        if (absentUntil != null && absentUntil - clock.getAsLong() > 0) {
            throw FsException.of(FsError.ENODATA, "no xattr " + name);
        }
        try {
            return fetch.get();
        } catch (RuntimeException e) {
            if (FuseErrno.unwrap(e) instanceof FsException fe && fe.error() == FsError.ENODATA) {
                if (absentSecurityXattrs.size() > LookupCache.SWEEP_ABOVE) {
                    absentSecurityXattrs.clear();
                }
                absentSecurityXattrs.computeIfAbsent(ino, k -> new ConcurrentHashMap<>())
                        .put(name, clock.getAsLong() + ttlNanos);
            }
            throw e;
        }
    }

    /** The inode's xattrs changed through this mount. */
    void xattrsChanged(long ino) {
        absentSecurityXattrs.remove(ino);
        createdBare.remove(ino);
    }

    /** This mount just created ino: it has no xattrs yet. */
    void created(long ino) {
        if (ttlNanos == 0) {
            return;
        }
        if (createdBare.size() > LookupCache.SWEEP_ABOVE) {
            createdBare.clear();
        }
        createdBare.put(ino, clock.getAsLong() + ttlNanos);
    }
}
