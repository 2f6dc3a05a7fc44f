package io.camber.testkit;

import io.camber.client.mds.MdsAdminClient;
import io.camber.common.api.FsInfo;
import java.time.Duration;

/** Waits the file-system tests share. */
public final class FsFixtures {
    private FsFixtures() {
    }

    /** Waits until every partition of the file system has a leader and has reported its usage. */
    public static FsInfo awaitLed(MdsAdminClient mds, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FsInfo fs = null;
        while (System.nanoTime() < deadline) {
            fs = mds.describeFs(name).join();
            if (fs.partitions().stream().allMatch(p -> p.leader() != null && p.inodesUsed() >= 0)) {
                return fs;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("file system " + name + " not led within " + timeout + "; last: " + fs);
    }
}
