package io.camber.client.fs;

import io.camber.client.chunk.ChunkClient;
import io.camber.client.mds.MdsAdminClient;
import io.camber.meta.fs.FsError;
import io.camber.meta.fs.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** Builds a mount: the partition directory from the MDS, the router over it and the file handles. */
final class Mounts {
    private static final Logger LOG = LoggerFactory.getLogger(Mounts.class);
    /** Wall-clock nanoseconds: the times inodes carry, comparable between clients. */
    static final LongSupplier WALL_CLOCK = () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };

    private Mounts() {
    }

    static CompletableFuture<CamberFs> mount(MdsAdminClient mds, ChunkClient chunks, String fsName,
                                             CamberFs.Options options) {
        if (fsName == null || fsName.isBlank()) {
            return CompletableFuture.failedFuture(FsException.of(FsError.EINVAL, "no file-system name given: "
                    + "name one from camber fs ls"));
        }
        return PartitionDirectory.open(mds, fsName, options.raft()).thenCompose(partitions -> {
            MetaRouter router = new MetaRouter(partitions, WALL_CLOCK, options.renameTtl(), options.busyBudget());
            LOG.info("event=fs_mounted fs={} id={} partitions={} client={}", fsName, partitions.fs().id(),
                    partitions.fs().partitions().size(), options.clientName());
            FileHandles files = new FileHandles(FileHandles.sharedVolume(mds, chunks,
                    () -> partitions.fs().dataVolume(), options.clientName()), new PartitionFileSpace(router),
                    options.writeBufferBytes(), options.mountBufferBytes());
            files.keepOpenOrphans(options.orphanKeepAlive());
            MountedFs mounted = new MountedFs(router, files);
            if (partitions.fs().dataVolume() == null) {
                return CompletableFuture.completedFuture(mounted); // created before data volumes: metadata only
            }
            return files.openVolume().handle((ok, e) -> {
                if (e != null) {
                    mounted.close();
                    throw new java.util.concurrent.CompletionException(FsErrors.unwrap(e));
                }
                return mounted;
            });
        });
    }
}
