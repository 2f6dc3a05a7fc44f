package io.camber.cli.fs;

import io.camber.client.fuse.FuseMount;
import io.camber.client.fuse.MountRefusedException;

/**
 * Mounting and closing of one foreground mount, safe against a shutdown signal at any moment: the main thread
 * mounts, the shutdown hook or the main thread closes (whichever comes first, once), and a close that arrives
 * while the mount is still coming up waits for it, then unmounts it, so no signal leaves a dead mount behind.
 */
final class MountLifecycle {
    interface Mounter {
        FuseMount mount() throws MountRefusedException;
    }

    private final FsOpener.OpenedFs fs;
    private FuseMount mount;
    private boolean closed;

    MountLifecycle(FsOpener.OpenedFs fs) {
        this.fs = fs;
    }

    /** Mounts unless already closed; returns null when a close came first. */
    synchronized FuseMount mount(Mounter mounter) throws MountRefusedException {
        if (closed) {
            return null;
        }
        mount = mounter.mount();
        return mount;
    }

    /** Unmounts (lazily if busy) and flushes and closes the client; later calls do nothing. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (mount != null) {
                mount.close();
            }
        } finally {
            try {
                fs.close();
            } catch (Exception e) {
                System.err.println("closing the file system client failed: " + e);
            }
        }
    }
}
