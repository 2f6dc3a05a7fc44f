package io.camber.cli.fs;

import io.camber.cli.ApiOptions;
import io.camber.cli.CliFailure;
import io.camber.client.chunk.ChunkClient;
import io.camber.client.fs.CamberFs;
import io.camber.client.mds.MdsAdminClient;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.FsInfo;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import java.util.concurrent.CompletionException;

/** Finds a file system by name through the admin API and opens the client library on it. */
final class FsOpener {
    private final ApiOptions api;

    FsOpener(ApiOptions api) {
        this.api = api;
    }

    /** Fails with a message naming the commands that help when the cluster has no such file system. */
    FsInfo requireExists(String name) {
        MdsAdminClient mds = new MdsAdminClient(api.endpoint(), api.apiKey());
        try {
            return mds.describeFs(name).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CamberException ce && ce.code() == ErrorCode.NOT_FOUND) {
                throw new CliFailure(CliFailure.REFUSED, "no file system named '" + name + "' at " + api.endpoint()
                        + ": 'camber fs ls' lists them, 'camber fs create " + name + "' makes one");
            }
            if (e.getCause() instanceof CamberException ce) {
                throw new CliFailure(CliFailure.REFUSED, ce.code() + ": " + ce.getMessage());
            }
            throw new CliFailure(CliFailure.UNREACHABLE, "cannot reach Camber at " + api.endpoint() + ": "
                    + e.getCause().getMessage());
        }
    }

    /**
     * Mounts the client library on name: a Ratis client per metadata partition and a chunk client for file data
     * (256 MiB of writes in flight at most, as the NBD server's).
     */
    OpenedFs open(String name) {
        MdsAdminClient mds = new MdsAdminClient(api.endpoint(), api.apiKey());
        ChunkClient chunks = new ChunkClient(256L << 20);
        String client = "fuse@" + hostName() + ":" + ProcessHandle.current().pid();
        try {
            return new OpenedFs(CamberFs.mount(mds, chunks, name, CamberFs.Options.defaults(client)).join(), chunks);
        } catch (CompletionException e) {
            chunks.close();
            if (e.getCause() instanceof FsException fe && fe.error() == FsError.ENOENT) {
                throw new CliFailure(CliFailure.REFUSED, "no file system named '" + name + "': 'camber fs ls' lists"
                        + " them");
            }
            throw new CliFailure(CliFailure.UNREACHABLE, "cannot open file system '" + name + "': "
                    + e.getCause().getMessage());
        }
    }

    /** The library's mount and the chunk client it writes through, closed together. */
    record OpenedFs(CamberFs fs, ChunkClient chunks) implements AutoCloseable {
        @Override
        public void close() {
            try {
                fs.close();
            } finally {
                chunks.close();
            }
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
