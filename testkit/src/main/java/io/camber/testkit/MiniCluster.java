package io.camber.testkit;

import io.camber.chunk.ChunkServiceApplication;
import io.camber.chunk.registration.ChunkServerBootstrap;
import io.camber.mds.MdsApplication;
import io.camber.mds.raft.MdsReplication;
import io.camber.meta.MetaServiceApplication;
import io.camber.meta.registration.MetaServerBootstrap;
import io.camber.meta.server.PartitionServer;
import io.camber.meta.server.PartitionServerLifecycle;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real Camber cluster in one JVM for integration tests: N MDS replicas, each its own Spring
 * context, Ratis server and RocksDB on loopback ports, and optionally chunk services and meta-services. Replicas can be stopped and restarted from
 * their own data directories. The gateway and the other services are tested as processes (the
 * playground), since their auto-configurations clash when they share one classpath.
 */
public final class MiniCluster implements AutoCloseable {
    private final Path baseDir;
    /** True when this cluster made its own temporary directory, which it then deletes on close. */
    private final boolean ownsBaseDir;
    private final List<MdsNode> mds = new ArrayList<>();
    private final List<ChunkNode> chunks = new ArrayList<>();
    private final List<MetaNode> metas = new ArrayList<>();
    private final List<org.springframework.context.ConfigurableApplicationContext> s3Proxies = new ArrayList<>();
    private final long chunkSize;
    private final Path chunkDir;
    private final String peers;
    private final Map<String, Object> extraProperties;
    private final Map<String, Object> chunkProperties;
    private final Map<String, Object> metaProperties;

    /** The admin key every MiniCluster accepts (from config), which {@link AdminHttp} sends by default. */
    public static final String ADMIN_KEY = AdminHttp.DEFAULT_KEY;
    /** The service key chunk servers use. */
    public static final String SERVICE_KEY =
            "camber_00000000000005e1_5e1ce0000000000000000000000000000000000000000000000000000000000e";

    private MiniCluster(Builder b) throws IOException {
        this.ownsBaseDir = b.baseDir == null;
        this.baseDir = ownsBaseDir ? Files.createTempDirectory("camber-minicluster") : b.baseDir;
        this.extraProperties = b.properties;
        this.chunkProperties = b.chunkProperties;
        this.metaProperties = b.metaProperties;
        for (int i = 1; i <= b.mdsCount; i++) {
            mds.add(new MdsNode("mds" + i, freePort(), freePort(), baseDir.resolve("mds" + i)));
        }
        this.peers = mds.stream().map(n -> n.id + "=127.0.0.1:" + n.raftPort).collect(Collectors.joining(","));
        mds.forEach(this::start);
        this.chunkSize = b.chunkSize;
        this.chunkDir = b.chunkDir != null ? b.chunkDir : baseDir;
        for (int i = 1; i <= b.chunkServers; i++) {
            chunks.add(new ChunkNode(i, freePort(), freePort(), freePort(), chunkDir.resolve("chunk" + i)));
        }
        if (!chunks.isEmpty()) {
            // Chunk servers join a physical pool that must exist: declare the topology first.
            awaitLeader(Duration.ofSeconds(30));
            AdminHttp.Response applied = new AdminHttp(url()).post("/api/v1/topology/apply", topology(b.copysets));
            if (!applied.ok()) {
                throw new IllegalStateException("topology apply failed: " + applied.raw());
            }
            chunks.forEach(this::start);
        }
        startMetaServers(b.metaServers);
    }

    /** Starts building a cluster. */
    public static Builder builder() {
        return new Builder();
    }

    /** One MDS replica: its identity, ports, data and (while running) its Spring context. */
    public static final class MdsNode {
        public final String id;
        public final int httpPort;
        public final int raftPort;
        public final Path dataDir;
        ConfigurableApplicationContext context;

        MdsNode(String id, int httpPort, int raftPort, Path dataDir) {
            this.id = id;
            this.httpPort = httpPort;
            this.raftPort = raftPort;
            this.dataDir = dataDir;
        }

        public boolean running() {
            return context != null && context.isActive();
        }

        public MdsReplication replication() {
            return context.getBean(MdsReplication.class);
        }

        public String url() {
            return "http://127.0.0.1:" + httpPort;
        }
    }

    /** One chunk service: zone i, server server-i-1 (unless added later), its own disk folder and ports. */
    public static final class ChunkNode {
        public final int index;
        public final String zone;
        public final String server;
        public final int httpPort;
        public final int raftPort;
        public final int dataPort;
        public final Path dataDir;
        ConfigurableApplicationContext context;

        ChunkNode(int index, int httpPort, int raftPort, int dataPort, Path dataDir) {
            this(index, "zone" + index, "server-" + index + "-1", httpPort, raftPort, dataPort, dataDir);
        }

        ChunkNode(int index, String zone, String server, int httpPort, int raftPort, int dataPort, Path dataDir) {
            this.index = index;
            this.zone = zone;
            this.server = server;
            this.httpPort = httpPort;
            this.raftPort = raftPort;
            this.dataPort = dataPort;
            this.dataDir = dataDir;
        }

        public boolean running() {
            return context != null && context.isActive();
        }

        public ChunkServerBootstrap bootstrap() {
            return context.getBean(ChunkServerBootstrap.class);
        }
    }

    private void start(ChunkNode n) {
        String mdsUrls = mds.stream().map(MdsNode::url).collect(Collectors.joining(","));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", n.httpPort);
        p.put("camber.chunk.data-dir", n.dataDir);
        p.put("camber.chunk.raft-port", n.raftPort);
        p.put("camber.chunk.data-port", n.dataPort);
        p.put("camber.chunk.zone", n.zone);
        p.put("camber.chunk.server", n.server);
        p.put("camber.chunk.mds", mdsUrls);
        p.put("camber.chunk.chunk-size", chunkSize + "B");
        p.put("camber.chunk.pool-size", 4);
        p.put("camber.chunk.reserved-space", "16MB");
        p.put("camber.chunk.heartbeat-interval", "500ms");
        p.put("camber.chunk.raft.snapshot-threshold", 200);
        p.put("camber.chunk.api-key", SERVICE_KEY);
        p.putAll(commonProperties());
        // Replaced, not repeated: Spring joins a repeated command-line option into one "a,b" value.
        p.putAll(chunkProperties);
        n.context = new SpringApplicationBuilder(ChunkServiceApplication.class, PrivateNettyResources.class)
                .run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    public List<ChunkNode> chunkServers() {
        return List.copyOf(chunks);
    }

    /**
     * Scale-out: starts one more chunk service, on its own server in the named zone (created when new); it registers
     * itself and the MDS's balancer moves copysets onto it.
     */
    public ChunkNode addChunkServer(String zone) {
        int i = chunks.size() + 1;
        ChunkNode n = new ChunkNode(i, zone, "server-" + zone + "-" + i, freePort(), freePort(), freePort(),
                chunkDir.resolve("chunk" + i));
        chunks.add(n);
        start(n);
        return n;
    }

    /** Stops a chunk service (Raft server and chunk files close; the data stays). */
    public void stop(ChunkNode n) {
        if (n.context != null) {
            n.context.close();
            n.context = null;
        }
    }

    /** Stops these chunk services side by side; each keeps its data, as {@link #stop(ChunkNode)} does. */
    public void stopChunkServers(List<ChunkNode> nodes) {
        stopTogether(nodes.stream().map(n -> (Runnable) () -> stop(n)).toList());
    }

    /**
     * Runs the stops side by side: a service's stop mostly waits for its Netty event loops and Ratis threads to
     * wind down, using no CPU, so one after another cost a test class 10-20 s of CI time for nothing.
     */
    private static void stopTogether(List<Runnable> stops) {
        List<java.util.concurrent.CompletableFuture<Void>> running = stops.stream()
                .map(stop -> java.util.concurrent.CompletableFuture.runAsync(stop, r -> {
                    Thread t = new Thread(r, "minicluster-stop");
                    t.start();
                })).toList();
        java.util.concurrent.CompletableFuture.allOf(running.toArray(java.util.concurrent.CompletableFuture[]::new))
                .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    /** Starts a stopped chunk service again from its own disk folder. */
    public void restart(ChunkNode n) {
        stop(n);
        start(n);
    }

    /** The topology that declares this cluster's chunk servers: zone i holds server-i-1 on its Raft port. */
    public io.camber.common.api.TopologySpec topology(int copysets) {
        List<io.camber.common.api.TopologySpec.ZoneSpec> zones = new ArrayList<>();
        for (ChunkNode n : chunks) {
            zones.add(new io.camber.common.api.TopologySpec.ZoneSpec("zone" + n.index, List.of(
                    new io.camber.common.api.TopologySpec.ServerSpec("server-" + n.index + "-1", "127.0.0.1", List.of(
                            new io.camber.common.api.TopologySpec.ChunkServerSpec(n.raftPort,
                                    n.dataDir.toAbsolutePath().toString(), "100GiB"))))));
        }
        return new io.camber.common.api.TopologySpec(
                List.of(new io.camber.common.api.TopologySpec.PhysicalPoolSpec("pool1", zones)),
                List.of(new io.camber.common.api.TopologySpec.LogicalPoolSpec("pool1", "pool1", null, 3, copysets,
                        chunkSize + "B", (chunkSize * 64) + "B")));
    }

    /** One meta-service: zone i, server server-i-1, peer id meta-i, its own data folder and ports. */
    public static final class MetaNode {
        public final int index;
        public final int httpPort;
        public final int raftPort;
        public final Path dataDir;
        ConfigurableApplicationContext context;

        MetaNode(int index, int httpPort, int raftPort, Path dataDir) {
            this.index = index;
            this.httpPort = httpPort;
            this.raftPort = raftPort;
            this.dataDir = dataDir;
        }

        public String peerId() {
            return "meta-" + index;
        }

        public boolean running() {
            return context != null && context.isActive();
        }

        public PartitionServer partitions() {
            return context.getBean(PartitionServerLifecycle.class).server();
        }

        public MetaServerBootstrap bootstrap() {
            return context.getBean(MetaServerBootstrap.class);
        }
    }

    private void startMetaServers(int count) {
        for (int i = 1; i <= count; i++) {
            metas.add(new MetaNode(i, freePort(), freePort(), baseDir.resolve("meta" + i)));
        }
        if (metas.isEmpty()) {
            return;
        }
        if (chunks.isEmpty()) {
            // Meta-services register under a physical pool, which only a topology declares.
            awaitLeader(Duration.ofSeconds(30));
            AdminHttp.Response applied = new AdminHttp(url()).post("/api/v1/topology/apply",
                    new io.camber.common.api.TopologySpec(List.of(
                            new io.camber.common.api.TopologySpec.PhysicalPoolSpec("pool1", List.of())), List.of()));
            if (!applied.ok()) {
                throw new IllegalStateException("topology apply failed: " + applied.raw());
            }
        }
        metas.forEach(this::start);
    }

    private void start(MetaNode n) {
        Map<String, Object> p = new LinkedHashMap<>(commonProperties());
        p.put("server.port", n.httpPort);
        p.put("camber.meta.data-dir", n.dataDir);
        p.put("camber.meta.raft-port", n.raftPort);
        p.put("camber.meta.node-id", n.peerId());
        p.put("camber.meta.api-key", SERVICE_KEY);
        p.put("camber.meta.zone", "zone" + n.index);
        p.put("camber.meta.server", "server-" + n.index + "-1");
        p.put("camber.meta.mds", mds.stream().map(MdsNode::url).collect(Collectors.joining(",")));
        p.put("camber.meta.heartbeat-interval", "500ms");
        p.putAll(metaProperties);
        n.context = new SpringApplicationBuilder(MetaServiceApplication.class, PrivateNettyResources.class)
                .run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    public List<MetaNode> metaServers() {
        return List.copyOf(metas);
    }

    /** Stops a meta-service (its partitions' Raft groups and RocksDB close; the data stays). */
    public void stop(MetaNode n) {
        if (n.context != null) {
            n.context.close();
            n.context = null;
        }
    }

    /** Starts a stopped meta-service again from its own data folder. */
    public void restart(MetaNode n) {
        stop(n);
        start(n);
    }

    /** Waits until every running meta-service has registered with the MDS. */
    public void awaitMetaServersRegistered(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (metas.stream().filter(MetaNode::running).anyMatch(n -> n.bootstrap().metaServerId() < 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("meta-services did not register within " + timeout);
            }
            sleep(50);
        }
    }

    private void start(MdsNode n) {
        Map<String, Object> p = new HashMap<>(commonProperties());
        p.put("server.port", n.httpPort);
        p.put("camber.mds.node-id", n.id);
        p.put("camber.mds.peers", peers);
        p.put("camber.mds.data-dir", n.dataDir.toString());
        p.put("camber.mds.raft.election-timeout", "500ms");
        p.put("camber.auth.admin-key", ADMIN_KEY);
        p.put("camber.auth.service-key", SERVICE_KEY);
        p.putAll(extraProperties);
        // As command-line arguments: builder properties would rank below the service's application.yml.
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        n.context = new SpringApplicationBuilder(MdsApplication.class, PrivateNettyResources.class).run(args);
    }

    private static Map<String, Object> commonProperties() {
        return Map.of("spring.cloud.config.enabled", "false", "spring.config.import", "",
                "spring.main.banner-mode", "off");
    }

    public List<MdsNode> mds() {
        return List.copyOf(mds);
    }

    /** The base URL of the first running MDS. */
    public String url() {
        return mds.stream().filter(MdsNode::running).findFirst().orElseThrow().url();
    }

    /**
     * A cluster data token (any volume, read-write) for tests that drive chunk servers with a bare ChunkClient:
     * {@code client.authorize(cluster.clusterDataToken())}. Waits for the MDS's signing key.
     */
    public String clusterDataToken() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            AdminHttp.Response r = new AdminHttp(url()).post("/api/v1/auth/data-tokens", "{}");
            if (r.ok()) {
                return r.body().get("token").asString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no cluster data token: " + r.raw());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The replica that leads right now, waiting up to the timeout for an election. */
    public MdsNode awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<MdsNode> leader = mds.stream().filter(MdsNode::running)
                    .filter(n -> n.replication().node().isLeader()).findFirst();
            if (leader.isPresent()) {
                return leader.get();
            }
            sleep(50);
        }
        throw new IllegalStateException("no MDS leader within " + timeout);
    }

    /** Stops a replica (its Raft server and RocksDB close; its data stays). */
    public void stop(MdsNode n) {
        if (n.context != null) {
            n.context.close();
            n.context = null;
        }
    }

    /** Starts a stopped replica again from its own data directory. */
    public void restart(MdsNode n) {
        stop(n);
        start(n);
    }

    /** Waits until every running replica has applied the same index as the leader. */
    public void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long[] applied = mds.stream().filter(MdsNode::running)
                    .mapToLong(n -> n.replication().stateMachine().getLastAppliedTermIndex().getIndex()).toArray();
            if (applied.length > 0 && IntStream.range(1, applied.length).allMatch(i -> applied[i] == applied[0])) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("replicas did not catch up within " + timeout);
    }

    /**
     * Starts an s3-proxy in this JVM whose buckets are the top-level directories of file system fsName, calling the
     * MDS with the service key; answers its base URL. It stops with the cluster.
     */
    public String startS3Proxy(String fsName, Map<String, Object> extraProperties) {
        int port = freePort();
        Map<String, Object> p = new LinkedHashMap<>(commonProperties());
        p.put("server.port", port);
        p.put("camber.s3.mds", mds.stream().map(MdsNode::url).collect(Collectors.joining(",")));
        p.put("camber.s3.api-key", SERVICE_KEY);
        p.put("camber.s3.file-system", fsName);
        p.putAll(extraProperties);
        s3Proxies.add(new SpringApplicationBuilder(io.camber.s3.S3ProxyApplication.class, PrivateNettyResources.class)
                .run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new)));
        return "http://127.0.0.1:" + port;
    }

    /** A bean of the s3-proxy started last (its sweeper, say, to run a pass at a chosen time). */
    public <T> T s3ProxyBean(Class<T> type) {
        return s3Proxies.get(s3Proxies.size() - 1).getBean(type);
    }

    @Override
    public void close() {
        s3Proxies.forEach(org.springframework.context.ConfigurableApplicationContext::close);
        s3Proxies.clear();
        List<Runnable> services = new ArrayList<>();
        metas.forEach(n -> services.add(() -> stop(n)));
        chunks.forEach(n -> services.add(() -> stop(n)));
        stopTogether(services);
        stopTogether(mds.stream().map(n -> (Runnable) () -> stop(n)).toList());
        if (ownsBaseDir) {
            TestDirectories.delete(baseDir);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ports handed out so far in this JVM: never the same one twice, even after its cluster closed. */
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(
            20000 + (int) (ProcessHandle.current().pid() % 500) * 20);

    /**
     * A port that is free now, taken below Linux's ephemeral range (32768-60999). A port the kernel picked (port 0)
     * is an ephemeral one: before the service binds it, an outgoing connection (Ratis retrying a peer that is still
     * starting) may take it as its local port, and the service then fails with "port already in use".
     */
    private static int freePort() {
        for (int attempt = 0; attempt < 2000; attempt++) {
            int port = NEXT_PORT.getAndIncrement();
            if (port >= 32000) {
                NEXT_PORT.set(20000);
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 on 127.0.0.1");
    }

    /** Builds a MiniCluster. */
    public static final class Builder {
        private int mdsCount = 1;
        private int chunkServers;
        private int metaServers;
        private long chunkSize = 1024 * 1024;
        private int copysets = 12;
        private Path baseDir;
        private Path chunkDir;
        private final Map<String, Object> properties = new HashMap<>();
        private final Map<String, Object> chunkProperties = new LinkedHashMap<>();
        private final Map<String, Object> metaProperties = new LinkedHashMap<>();

        public Builder mds(int count) {
            this.mdsCount = count;
            return this;
        }

        /** Adds chunk services, one per zone, each with its own disk folder. */
        public Builder chunkServers(int count) {
            this.chunkServers = count;
            return this;
        }

        /** Adds meta-services, one per zone (zone i, on chunk service i's server), each with its own data folder. */
        public Builder metaServers(int count) {
            this.metaServers = count;
            return this;
        }

        /** Copysets of the logical pool the cluster's topology declares. */
        public Builder copysets(int count) {
            this.copysets = count;
            return this;
        }

        /** Chunk size of the chunk services and of the logical pool topology(...) declares. */
        public Builder chunkSize(long bytes) {
            this.chunkSize = bytes;
            return this;
        }

        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        /** Where the chunk services' disk folders go instead of the base dir (for example a small file system). */
        public Builder chunkDir(Path dir) {
            this.chunkDir = dir;
            return this;
        }

        /** Sets a Spring property on every MDS replica (for example a small snapshot threshold). */
        public Builder mdsProperty(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        /** Sets a Spring property on every chunk service (for example its Raft settings). */
        public Builder chunkProperty(String key, Object value) {
            chunkProperties.put(key, value);
            return this;
        }

        /** Sets a Spring property on every meta-service (for example its GC settings). */
        public Builder metaProperty(String key, Object value) {
            metaProperties.put(key, value);
            return this;
        }

        /**
         * Raft over mutual TLS for every MDS and chunk server, with one certificate (IP SAN 127.0.0.1) of a throwaway
         * CA made with keytool.
         */
        public Builder raftTls() throws IOException {
            io.camber.common.tls.DevCertificates.Member m = new io.camber.common.tls.DevCertificates(
                    Files.createTempDirectory("camber-raft-tls")).member("member");
            for (String[] svc : new String[][] {{"camber.mds.raft-tls.", "mds"}, {"camber.chunk.raft-tls.", "chunk"}}) {
                Map<String, Object> target = svc[1].equals("mds") ? properties : chunkProperties;
                target.put(svc[0] + "cert-file", m.certFile().toString());
                target.put(svc[0] + "key-file", m.keyFile().toString());
                target.put(svc[0] + "trust-file", m.trustFile().toString());
            }
            return this;
        }

        public MiniCluster start() throws IOException {
            return new MiniCluster(this);
        }
    }
}
