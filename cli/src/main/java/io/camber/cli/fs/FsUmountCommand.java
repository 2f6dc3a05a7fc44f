package io.camber.cli.fs;

import io.camber.cli.CliFailure;
import io.camber.client.fuse.FuseMount;
import io.camber.client.fuse.MountTable;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camber fs umount DIR}: detaches a Camber mount; its mount process then flushes, closes and exits. */
@Command(name = "umount", description = "Unmount a Camber file system mounted with 'camber fs mount'.")
public final class FsUmountCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "the mount point")
    Path dir;

    @Option(names = "--lazy", description = "detach now even when files are open (they stay usable until closed;"
            + " fusermount -uz)")
    boolean lazy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path at = dir.toAbsolutePath().normalize();
        MountTable.Mount mount = MountTable.at(at).orElseThrow(() -> CliFailure.local(at
                + " is not mounted: 'mount -t fuse.camber' lists Camber mounts"));
        if (!mount.isCamber()) {
            throw CliFailure.local(at + " is a " + mount.type() + " mount, not Camber's: unmount it with umount(8)");
        }
        String refused = lazy ? FuseMount.unmount(at, true) : FuseMount.fusermount("-u", at);
        if (refused != null) {
            throw CliFailure.local("cannot unmount " + at + ": " + refused + (refused.contains("busy")
                    ? " (close the files and leave the directory; 'fuser -vm " + at + "' lists who uses it;"
                    + " or --lazy)" : ""));
        }
        spec.commandLine().getOut().println("unmounted " + mount.source() + " from " + at);
        return 0;
    }
}
