package io.camber.cli.playground;

import io.camber.cli.playground.ServiceSpec.Wave;
import io.camber.common.api.LogicalPoolType;
import io.camber.common.api.TopologySpec;
import io.camber.common.api.TopologySpec.ChunkServerSpec;
import io.camber.common.api.TopologySpec.LogicalPoolSpec;
import io.camber.common.api.TopologySpec.PhysicalPoolSpec;
import io.camber.common.api.TopologySpec.ServerSpec;
import io.camber.common.api.TopologySpec.ZoneSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a playground: config-server, one MDS, three chunk services and three meta-services in three zones,
 * s3-proxy and the gateway on fixed loopback ports, plus the topology applied once they are up.
 */
public final class PlaygroundLayout {

    public static final int GATEWAY_PORT = 8080;
    public static final int CONFIG_PORT = 8888;
    public static final int MDS_PORT = 8100;
    public static final int MDS_RAFT_PORT = 8101;
    public static final int CHUNK_BASE_PORT = 8200;
    public static final int META_PORT = 8300;
    /** Meta-services (one per zone, like the chunk services): service n answers HTTP on META_PORT + n. */
    public static final int META_SERVICES = 3;
    /** Meta-service n serves its partitions' Raft traffic (and clients' metadata operations) on META_RAFT_BASE_PORT + n. */
    public static final int META_RAFT_BASE_PORT = 8310;
    /** The file system the playground creates for a first try. */
    public static final String DEMO_FS = "demo";
    /** Where the playground suggests mounting it when run as root; others get a directory under /tmp. */
    public static final Path DEMO_MOUNT_ROOT = Path.of("/mnt/camber-demo");
    public static final int S3_PORT = 8400;
    public static final int NBD_PORT = 10809;
    public static final int NBD_HTTP_PORT = 10810;
    /** The volume the playground creates and serves over NBD for a first try. */
    public static final String DEMO_VOLUME = "/nbd-demo";
    /** Chunk services of a playground started without --chunk-services. */
    public static final int CHUNK_SERVICES = 3;
    /** At most this many chunk services: their ports must stay below the next service's range. */
    public static final int MAX_CHUNK_SERVICES = 9;
    /** Zones of the playground: chunk service n sits in zone ((n - 1) % ZONES) + 1. */
    public static final int ZONES = 3;
    /**
     * How long a chunk service may be silent before its replicas are rebuilt on the others: about a minute, so an
     * operator who stops one for good sees the cluster heal (production keeps Curve's 30 minutes).
     */
    public static final String RECOVERY_AFTER = "60s";
    /** Time between two scrubs of the replicas: ten minutes, so an operator sees one (production: a day). */
    public static final String SCRUB_INTERVAL = "10m";
    /** Chunk service n serves its copysets' Raft traffic (the data plane) on CHUNK_RAFT_BASE_PORT + n. */
    public static final int CHUNK_RAFT_BASE_PORT = 8210;
    /** Chunk service n takes client IO (the data protocol) on CHUNK_DATA_BASE_PORT + n. */
    public static final int CHUNK_DATA_BASE_PORT = 8220;
    /**
     * Copysets of the playground pool. Curve runs about 100 per chunk server, so that a lost disk is rebuilt from
     * many peers; here all three chunk servers are in every copyset, so more copysets buy nothing but spread
     * random IO thinner: each is a Raft log with its own fsyncs, and the client batches writes per copyset.
     * Measured with fio through NBD (docs/benchmarks.md): 6 instead of 32 copysets took 4 KiB random writes at
     * QD32 from 628 to 1,018 IOPS and reads at QD1 from 2,576 to 5,517 IOPS, and two per chunk server still
     * spread the leaders.
     */
    public static final int COPYSETS = 6;
    /**
     * JVM options of every process (heaps are per process, see services()). Chosen from measurements on a 2-core
     * machine, docs/operations.md: ParallelGC collects the payload-heavy young generation of the data-plane
     * processes in short stop-the-world pauses without concurrent threads competing for the two cores; the common
     * ForkJoinPool gets 4 threads, because with 1 (the default on 2 cores) CompletableFuture's async steps on
     * Ratis' follower path start a new thread per task; a process out of memory exits (and `playground up`
     * restarts it) rather than limp on with failing threads.
     */
    public static final String JVM_OPTIONS = "-XX:+UseParallelGC -XX:ParallelGCThreads=2 -Xss512k"
            + " -XX:+ExitOnOutOfMemoryError -Djava.util.concurrent.ForkJoinPool.common.parallelism=4";
    /**
     * Heap of a chunk service: Raft log entries carry the write payload, cached per copyset (open and last closed
     * segment, appends in flight): about 80 MB for the playground's 6 copysets, at most.
     */
    public static final String CHUNK_HEAP = "512m";
    /** Heap of the NBD server: up to 64 MiB of requests in flight per connection, several connections. */
    public static final String NBD_HEAP = "512m";

    public static final List<String> MODULES = List.of("config-server", "mds-service", "chunk-service",
            "meta-service", "s3-proxy", "gateway", "cli");

    private PlaygroundLayout() {
    }

    /** The processes in start order. */
    public static List<ServiceSpec> services(Path repo, Path dir) {
        String configUri = "--spring.cloud.config.uri=http://127.0.0.1:" + CONFIG_PORT;
        String mdsUrl = "http://127.0.0.1:" + MDS_PORT;
        List<ServiceSpec> services = new ArrayList<>();
        services.add(new ServiceSpec("config-server", "config-server", CONFIG_PORT, null, Wave.CONFIG, List.of(
                "--server.port=" + CONFIG_PORT,
                "--camber.config.dir=file:" + repo.resolve("config") + "/")));
        services.add(new ServiceSpec("mds-service", "mds-service", MDS_PORT, MDS_RAFT_PORT, Wave.MDS, concat(List.of(
                configUri,
                "--server.port=" + MDS_PORT,
                "--camber.mds.node-id=mds1",
                "--camber.mds.raft-address=127.0.0.1:" + MDS_RAFT_PORT,
                "--camber.mds.peers=mds1=127.0.0.1:" + MDS_RAFT_PORT,
                "--camber.mds.data-dir=" + dir.resolve("data").resolve("mds1"),
                "--camber.mds.recovery.after=" + RECOVERY_AFTER,
                secrets(PlaygroundCredentials.mdsProperties(dir))), raftTls(dir, "camber.mds"))));
        for (int n = 1; n <= chunkServices(dir); n++) {
            services.add(new ServiceSpec("chunk-service-" + n, "chunk-service", CHUNK_BASE_PORT + n, null, Wave.SERVICES,
                    concat(List.of(configUri,
                            "--server.port=" + (CHUNK_BASE_PORT + n),
                            "--camber.chunk.data-dir=" + chunkDisk(dir, n),
                            "--camber.chunk.raft-port=" + (CHUNK_RAFT_BASE_PORT + n),
                            "--camber.chunk.data-port=" + (CHUNK_DATA_BASE_PORT + n),
                            "--camber.chunk.zone=zone" + zoneOf(n),
                            "--camber.chunk.server=server" + n,
                            "--camber.chunk.mds=" + mdsUrl,
                            "--camber.chunk.scrub.interval=" + SCRUB_INTERVAL,
                            secrets(PlaygroundCredentials.chunkProperties(dir))), raftTls(dir, "camber.chunk")),
                    CHUNK_HEAP));
        }
        for (int n = 1; n <= META_SERVICES; n++) {
            // On the chunk services' servers and zones: a partition's replicas are three zones apart, as copysets.
            services.add(new ServiceSpec("meta-service-" + n, "meta-service", META_PORT + n, META_RAFT_BASE_PORT + n,
                    Wave.SERVICES, List.of(configUri,
                            "--server.port=" + (META_PORT + n),
                            "--camber.meta.data-dir=" + dir.resolve("data").resolve("meta-service-" + n),
                            "--camber.meta.raft-port=" + (META_RAFT_BASE_PORT + n),
                            "--camber.meta.node-id=meta" + n,
                            "--camber.meta.zone=zone" + n,
                            "--camber.meta.server=server" + n,
                            "--camber.meta.mds=" + mdsUrl,
                            secrets(PlaygroundCredentials.metaProperties(dir)))));
        }
        services.add(new ServiceSpec("s3-proxy", "s3-proxy", S3_PORT, null, Wave.FRONTENDS, List.of(configUri,
                "--server.port=" + S3_PORT,
                "--camber.s3.mds=" + mdsUrl,
                "--camber.s3.file-system=" + DEMO_FS,
                secrets(PlaygroundCredentials.s3Properties(dir)))));
        services.add(new ServiceSpec("gateway", "gateway", GATEWAY_PORT, null, Wave.FRONTENDS, List.of(
                configUri,
                "--server.port=" + GATEWAY_PORT,
                "--spring.cloud.discovery.client.simple.instances.mds[0].uri=" + mdsUrl,
                "--spring.cloud.discovery.client.simple.instances.s3[0].uri=http://127.0.0.1:" + S3_PORT)));
        // The NBD server is the operators' CLI in serve mode: `camber nbd serve`, with health on its HTTP port. It
        // knows the MDS as well as the gateway, so its writers keep their sessions while the gateway is down.
        services.add(new ServiceSpec("nbd", "cli", NBD_HTTP_PORT, null, Wave.FRONTENDS, List.of(
                "nbd", "serve", "--listen=127.0.0.1:" + NBD_PORT, "--http=127.0.0.1:" + NBD_HTTP_PORT,
                "--endpoint=http://127.0.0.1:" + GATEWAY_PORT + ",http://127.0.0.1:" + MDS_PORT,
                "--api-key-file=" + PlaygroundCredentials.serviceFile(dir)), NBD_HEAP));
        return services;
    }

    /** Where `up --raft-tls` keeps the playground's CA and member certificate. */
    public static Path tlsDir(Path dir) {
        return dir.resolve("tls");
    }

    /** Makes the CA and the one member certificate every Raft member uses (all on 127.0.0.1), with keytool. */
    public static void makeRaftCertificates(Path dir) {
        try {
            new io.camber.common.tls.DevCertificates(tlsDir(dir)).member("member");
        } catch (java.io.IOException e) {
            throw io.camber.cli.CliFailure.local("cannot make the Raft TLS certificates in " + tlsDir(dir) + ": "
                    + e.getMessage());
        }
    }

    /**
     * The Raft TLS arguments for a service's settings prefix (camber.mds, camber.chunk) when DIR/tls holds the
     * certificates, none otherwise: a playground made with --raft-tls stays TLS across restarts.
     */
    static List<String> raftTls(Path dir, String prefix) {
        Path tls = tlsDir(dir);
        if (!java.nio.file.Files.exists(tls.resolve("member.crt"))) {
            return List.of();
        }
        return List.of("--" + prefix + ".raft-tls.cert-file=" + tls.resolve("member.crt"),
                "--" + prefix + ".raft-tls.key-file=" + tls.resolve("member.key"),
                "--" + prefix + ".raft-tls.trust-file=" + tls.resolve("ca.crt"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Spring reads the keys from a file PlaygroundCredentials wrote; command lines would show them to ps. */
    private static String secrets(Path file) {
        return "--spring.config.additional-location=optional:file:" + file;
    }

    public static Path chunkDisk(Path dir, int n) {
        return dir.resolve("data").resolve("chunk-service-" + n);
    }

    /** The zone chunk service n sits in: they are dealt over the three zones in turn. */
    public static int zoneOf(int n) {
        return (n - 1) % ZONES + 1;
    }

    /** How many chunk services the playground in dir runs: as `up --chunk-services` recorded it, or 3. */
    public static int chunkServices(Path dir) {
        Path file = dir.resolve(CHUNK_SERVICES_FILE);
        try {
            return java.nio.file.Files.exists(file)
                    ? Integer.parseInt(java.nio.file.Files.readString(file).strip()) : CHUNK_SERVICES;
        } catch (java.io.IOException | NumberFormatException e) {
            throw io.camber.cli.CliFailure.local("cannot read " + file + " (" + e.getMessage() + "): write the number"
                    + " of chunk services in it, or delete it for " + CHUNK_SERVICES);
        }
    }

    /**
     * Records how many chunk services the playground runs from now on. More than before adds chunk services (a
     * scale-out); fewer is refused, since their replicas would be lost with them.
     */
    public static void setChunkServices(Path dir, int count) {
        if (count < CHUNK_SERVICES || count > MAX_CHUNK_SERVICES) {
            throw new io.camber.cli.CliFailure(io.camber.cli.CliFailure.REFUSED, "--chunk-services must be between "
                    + CHUNK_SERVICES + " (one per zone) and " + MAX_CHUNK_SERVICES + ", not " + count);
        }
        int now = chunkServices(dir);
        if (count < now && java.nio.file.Files.exists(dir.resolve("data"))) {
            throw new io.camber.cli.CliFailure(io.camber.cli.CliFailure.REFUSED, "this playground runs " + now
                    + " chunk services; it cannot shrink to " + count + " (their replicas would be lost): use `down"
                    + " --purge` first for a new playground");
        }
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(CHUNK_SERVICES_FILE), count + "\n");
        } catch (java.io.IOException e) {
            throw io.camber.cli.CliFailure.local("cannot write " + dir.resolve(CHUNK_SERVICES_FILE) + ": "
                    + e.getMessage());
        }
    }

    private static final String CHUNK_SERVICES_FILE = "chunk-services";

    /**
     * pool1 over zone1..3, each chunk service on a server of its own, dealt over the zones in turn; one REPLICATED
     * logical pool.
     */
    public static TopologySpec topology(Path dir) {
        List<List<ServerSpec>> servers = new ArrayList<>();
        for (int z = 1; z <= ZONES; z++) {
            servers.add(new ArrayList<>());
        }
        for (int n = 1; n <= chunkServices(dir); n++) {
            servers.get(zoneOf(n) - 1).add(new ServerSpec("server" + n, "127.0.0.1",
                    List.of(new ChunkServerSpec(CHUNK_RAFT_BASE_PORT + n, chunkDisk(dir, n).toAbsolutePath().toString(),
                            null))));
        }
        List<ZoneSpec> zones = new ArrayList<>();
        for (int z = 1; z <= ZONES; z++) {
            zones.add(new ZoneSpec("zone" + z, servers.get(z - 1)));
        }
        return new TopologySpec(
                List.of(new PhysicalPoolSpec("pool1", zones)),
                List.of(new LogicalPoolSpec("pool1", "pool1", LogicalPoolType.REPLICATED, 3, COPYSETS, "16MiB", "1GiB")));
    }

    /** The demo file system's mount point: /mnt/camber-demo for root, /tmp/camber-demo-USER for anyone else. */
    public static Path demoMountDir(boolean root, String user) {
        return root ? DEMO_MOUNT_ROOT : Path.of("/tmp", "camber-demo-" + user);
    }
}
