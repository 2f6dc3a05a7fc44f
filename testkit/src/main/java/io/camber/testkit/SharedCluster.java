package io.camber.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * One plain cluster (1 MDS, 3 chunk services and 3 meta-services in three zones, 6 copysets, default settings) that
 * integration classes needing nothing special share, to keep CI inside its budget: the first class starts it, the
 * test JVM's exit stops it. Classes make their own file systems and names, and put back any service they stop.
 */
public final class SharedCluster {
    private static MiniCluster cluster;

    private SharedCluster() {
    }

    public static synchronized MiniCluster get() {
        if (cluster == null) {
            try {
                cluster = MiniCluster.builder().mds(1).chunkServers(3).metaServers(3).copysets(6).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cluster.awaitMetaServersRegistered(Duration.ofSeconds(60));
            Runtime.getRuntime().addShutdownHook(new Thread(SharedCluster::close, "shared-cluster-stop"));
        }
        return cluster;
    }

    private static synchronized void close() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
