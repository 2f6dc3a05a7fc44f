package io.camber.client.fuse;

import io.camber.client.fs.CamberFs;
import io.camber.client.fuse.OpenFiles.OpenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Camber file system mounted on a directory through FUSE, from the mount until {@link #close}. The FUSE loop
 * runs on its own thread; libfuse answers each request on worker threads of its own.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FuseMount.class);
    /** How long close waits for the kernel to let go after the unmount, before abandoning busy files. */
    private static final Duration LOOP_EXIT_WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final CamberFuse fuse;
    private final CompletableFuture<Void> loopEnded;
    private final FuseOptions options;

    private FuseMount(Path dir, CamberFuse fuse, CompletableFuture<Void> loopEnded, FuseOptions options) {
        this.dir = dir;
        this.fuse = fuse;
        this.loopEnded = loopEnded;
        this.options = options;
    }

    /**
     * Mounts fs on dir and returns once the kernel has connected; refuses a missing, non-empty or already mounted
     * dir with a {@link MountRefusedException} that says what to do. The caller keeps owning fs.
     */
    public static FuseMount mount(CamberFs fs, Path dir, FuseOptions options, Duration startTimeout) {
        Path at = dir.toAbsolutePath().normalize();
        checkMountPoint(at);
        CamberFuse fuse;
        try {
            fuse = new CamberFuse(fs, options);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new MountRefusedException("cannot load libfuse 2 (" + e.getMessage()
                    + "): install it with 'apt-get install libfuse2 fuse'", e);
        }
        CompletableFuture<Void> loopEnded = new CompletableFuture<>();
        String[] args = options.mountArgs().toArray(String[]::new);
        Thread loop = new Thread(() -> {
            try {
                fuse.mount(at, true, false, args); // returns when the file system is unmounted
                loopEnded.complete(null);
            } catch (Throwable t) {
                loopEnded.completeExceptionally(t);
            }
        }, "camber-fuse-loop");
        loop.setDaemon(true);
        loop.start();
        try {
            CompletableFuture.anyOf(fuse.initialized(), loopEnded).get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            unmount(at, true);
            throw new MountRefusedException("the kernel did not connect to the mount within " + startTimeout
                    + ": check that /dev/fuse exists and fusermount works", e);
        } catch (Exception e) {
            throw new MountRefusedException("mounting " + at + " failed: " + FuseErrno.unwrap(e).getMessage()
                    + " (is /dev/fuse there and usable? 'apt-get install fuse', and in containers --device /dev/fuse"
                    + " --cap-add SYS_ADMIN)", e);
        }
        if (!fuse.initialized().isDone()) {
            throw new MountRefusedException("libfuse gave up mounting " + at + " before the kernel connected; its"
                    + " reason is on stderr above (fuse: ...)");
        }
        log.info("event=fuse_mounted fs={} dir={} entry_timeout={} attr_timeout={} max_write={}", options.fsName(), at,
                options.entryTimeout(), options.attrTimeout(), options.maxWrite());
        return new FuseMount(at, fuse, loopEnded, options);
    }

    public Path dir() {
        return dir;
    }

    public FuseOptions options() {
        return options;
    }

    /** Files open through the mount right now. */
    public int openFiles() {
        return fuse.openFiles().size();
    }

    /** Blocks until the mount goes away, by {@link #close}, 'camber fs umount' or fusermount -u. */
    public void awaitUnmounted() throws InterruptedException {
        try {
            loopEnded.get();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("event=fuse_loop_failed dir={} error={}", dir, e.getCause().toString());
        }
    }

    /**
     * Unmounts (lazily when busy: the directory detaches at once and processes that still hold files keep them
     * until the FUSE loop stops), waits a while for the loop to end, then flushes and releases what is still open
     * so no acknowledged write is lost.
     */
    @Override
    public void close() {
        if (!loopEnded.isDone()) {
            unmount(dir, false);
        }
        try {
            loopEnded.get(LOOP_EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("event=fuse_unmount_slow dir={} open_files={} waited={}", dir, openFiles(), LOOP_EXIT_WAIT);
        }
        List<OpenFile> left = fuse.openFiles().all();
        for (OpenFile f : left) {
            try {
                f.handle.release().get(options.opTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("event=fuse_release_failed dir={} ino={} error={}", dir, f.ino(), e.toString());
            }
        }
        log.info("event=fuse_unmounted fs={} dir={} released_at_close={}", options.fsName(), dir, left.size());
        log.info("event=fuse_op_stats fs={} calls_failures_mean_us=\"{}\"", options.fsName(), fuse.stats().summary());
    }

    /**
     * Runs fusermount -u; when the mount is busy and lazy is allowed (or asked for), detaches it lazily with -z.
     * Answers fusermount's message on failure, null on success.
     */
    public static String unmount(Path dir, boolean lazyOnly) {
        String firstTry = lazyOnly ? null : fusermount("-u", dir);
        if (firstTry == null && !lazyOnly) {
            return null;
        }
        return fusermount("-uz", dir);
    }

    /** Runs fusermount with flags on dir; answers its message on failure, null on success. */
    public static String fusermount(String flags, Path dir) {
        try {
            Process p = new ProcessBuilder("fusermount", flags, dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? null : out;
        } catch (IOException e) {
            return "cannot run fusermount (apt-get install fuse): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** A mount point must be an empty directory nobody mounted on yet (libfuse 2 refuses non-empty ones too). */
    public static void checkMountPoint(Path dir) {
        if (!Files.exists(dir)) {
            throw new MountRefusedException(dir + " does not exist: create it first (mkdir -p " + dir + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new MountRefusedException(dir + " is not a directory: mount on an empty directory");
        }
        MountTable.at(dir).ifPresent(m -> {
            throw new MountRefusedException(dir + " is already a mount point (" + m.source() + ", type " + m.type()
                    + "): unmount it first (camber fs umount " + dir + ") or pick another directory");
        });
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new MountRefusedException(dir + " is not empty: mount on an empty directory so nothing is hidden");
            }
        } catch (IOException e) {
            throw new MountRefusedException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
