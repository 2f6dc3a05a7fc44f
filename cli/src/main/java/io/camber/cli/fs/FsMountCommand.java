package io.camber.cli.fs;

import io.camber.cli.ApiOptions;
import io.camber.cli.CliFailure;
import io.camber.client.fuse.FuseMount;
import io.camber.client.fuse.FuseOptions;
import io.camber.client.fuse.MountRefusedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code camber fs mount NAME DIR}: serves a file system on a directory through FUSE until unmounted or stopped
 * (SIGTERM, ctrl-C), in the foreground or, with {@code --daemon}, in a background process.
 */
@Command(name = "mount", description = "Mount a file system on an empty directory through FUSE (root, or a user"
        + " allowed by /etc/fuse.conf); runs until 'camber fs umount DIR', SIGTERM or ctrl-C.")
public final class FsMountCommand implements Callable<Integer> {
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);

    @Mixin
    ApiOptions api;

    @Parameters(index = "0", paramLabel = "NAME", description = "file system name (camber fs ls)")
    String name;

    @Parameters(index = "1", paramLabel = "DIR", description = "an existing empty directory")
    Path dir;

    @Option(names = "--daemon", description = "run in the background: return once the mount is up")
    boolean daemon;

    @Option(names = "--log-file", paramLabel = "FILE", description = "with --daemon: where the mount process logs"
            + " (default: /tmp/camber-mount-NAME.log)")
    Path logFile;

    @Option(names = "--entry-timeout", paramLabel = "SECONDS", defaultValue = "1",
            description = "how long a name lookup is cached, here and in the kernel (default ${DEFAULT-VALUE};"
                    + " 0: ask every time, see other clients' renames at once)")
    double entryTimeout;

    @Option(names = "--attr-timeout", paramLabel = "SECONDS", defaultValue = "1",
            description = "how long attributes (size, mode, times) are cached (default ${DEFAULT-VALUE})")
    double attrTimeout;

    @Option(names = "--max-write", paramLabel = "BYTES", defaultValue = "131072",
            description = "largest write the kernel sends in one request (4096..131072, default ${DEFAULT-VALUE})")
    int maxWrite;

    @Option(names = "--op-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "an operation unanswered this long fails with EIO instead of hanging (default"
                    + " ${DEFAULT-VALUE})")
    int opTimeout;

    @Override
    public Integer call() throws Exception {
        FuseOptions options = options();
        Path at = dir.toAbsolutePath().normalize();
        checkMountPoint(at);
        new FsOpener(api).requireExists(name);
        if (daemon) {
            return startDaemon(at);
        }
        return serve(at, options);
    }

    private int serve(Path at, FuseOptions options) throws InterruptedException {
        PrintWriter out = api.out();
        FsOpener.OpenedFs fs = new FsOpener(api).open(name);
        MountLifecycle lifecycle = new MountLifecycle(fs);
        // Registered before mounting: a SIGTERM that lands while the mount comes up (a --daemon parent returns
        // as soon as the kernel lists the mount) would otherwise find no hook and leave a dead mount behind.
        Thread onSignal = new Thread(lifecycle::close, "camber-fuse-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        FuseMount mount;
        try {
            mount = lifecycle.mount(() -> FuseMount.mount(fs.fs(), at, options, MOUNT_TIMEOUT));
        } catch (MountRefusedException e) {
            lifecycle.close();
            throw CliFailure.local(e.getMessage());
        }
        if (mount == null) { // the signal came first
            return 0;
        }
        out.println("mounted file system " + name + " on " + at + " (pid " + ProcessHandle.current().pid()
                + "); unmount with: camber fs umount " + at);
        out.flush();
        mount.awaitUnmounted();
        lifecycle.close(); // unmounted from outside (camber fs umount, fusermount -u), or by the hook already
        out.println("unmounted " + at);
        out.flush();
        return 0;
    }

    private int startDaemon(Path at) {
        Path log = (logFile != null ? logFile : Path.of(System.getProperty("java.io.tmpdir"),
                "camber-mount-" + name + ".log")).toAbsolutePath();
        List<String> args = new ArrayList<>(List.of("fs", "mount", name, at.toString(),
                "--endpoint", api.endpoint(),
                "--entry-timeout", Double.toString(entryTimeout), "--attr-timeout", Double.toString(attrTimeout),
                "--max-write", Integer.toString(maxWrite), "--op-timeout", Integer.toString(opTimeout)));
        Process child = MountDaemon.start(args, api.apiKey(), at, log, MOUNT_TIMEOUT);
        api.out().println("mounted file system " + name + " on " + at + " (pid " + child.pid() + ", log " + log
                + "); unmount with: camber fs umount " + at);
        api.out().flush();
        return 0;
    }

    private FuseOptions options() {
        try {
            return new FuseOptions(name, seconds(entryTimeout), seconds(attrTimeout), maxWrite,
                    Duration.ofSeconds(opTimeout), OtherUsers.allowed(api.out()));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    private static void checkMountPoint(Path at) {
        try {
            FuseMount.checkMountPoint(at);
        } catch (MountRefusedException e) {
            throw CliFailure.local(e.getMessage());
        }
    }
}
