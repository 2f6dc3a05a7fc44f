package io.camber.chunk.registration;

import io.camber.chunk.ChunkServiceProperties;
import io.camber.chunk.copyset.CopysetPeers;
import io.camber.chunk.copyset.CopysetServer;
import io.camber.chunk.gc.GarbageCollector;
import io.camber.chunk.dataport.DataPortServer;
import io.camber.chunk.dataport.DataRequestHandler;
import io.camber.chunk.dataport.TokenGate;
import io.camber.chunk.store.ChunkFilePool;
import io.camber.chunk.store.ChunkFileRefiller;
import io.camber.chunk.store.DiskSpace;
import io.camber.chunk.store.SpaceGuard;
import io.camber.common.api.ChunkServerHeartbeat;
import io.camber.common.api.ChunkServerInfo;
import io.camber.common.api.ChunkServerRegistration;
import io.camber.common.api.CopysetInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Brings a chunk server up: prepares the chunk file pool and its background refiller, registers with the
 * MDS (keeping the id it was given in the data directory), starts the copyset Raft server, then heartbeats
 * and creates the copysets each heartbeat answer lists.
 */
@Component
@ConditionalOnProperty(name = "camber.chunk.enabled", havingValue = "true", matchIfMissing = true)
public class ChunkServerBootstrap implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkServerBootstrap.class);

    private final ChunkServiceProperties props;
    private final MdsClient mds;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chunkserver-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService collector = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chunkserver-garbage");
        t.setDaemon(true);
        return t;
    });
    private volatile CopysetServer copysets;
    private volatile DataPortServer dataPort;
    private final TokenGate tokens = new TokenGate(System::currentTimeMillis);
    private final DataRequestHandler dataRequests = new DataRequestHandler(
            () -> copysets == null ? null : copysets.raftServer(), tokens);
    private volatile ChunkFilePool pool;
    private volatile SpaceGuard space;
    private volatile ChunkFileRefiller refiller;
    private volatile long chunkServerId;
    private volatile GarbageCollector garbage;
    private volatile boolean running;

    public ChunkServerBootstrap(ChunkServiceProperties props) {
        this.props = props;
        this.mds = new MdsClient(props.mds(), props.apiKey());
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(props.dataDir());
            // Opened without formatting: the refiller fills it as far as the disk allows, so a full disk still starts.
            pool = ChunkFilePool.open(props.dataDir().resolve("pool"), props.chunkSize().toBytes(), 0);
            // Twice the refill target: deletes feed the next writes without formatting, and the rest goes back.
            pool.keepAtMost(2 * props.poolSize());
            space = new SpaceGuard(DiskSpace.of(props.dataDir()), pool, props.reservedSpace().toBytes());
            refiller = new ChunkFileRefiller(pool, space, props.poolSize(),
                    ChunkFileRefiller.defaultLowWater(props.poolSize()), Duration.ofSeconds(1));
            refiller.start();
            // Bound before registering, since the MDS hands its port to clients; it answers RETRY until the
            // copysets are up.
            dataPort = new DataPortServer(props.host(), props.dataPort(), dataRequests, 2);
            chunkServerId = registerWithRetry();
            copysets = new CopysetServer(chunkServerId, props.host(), props.raftPort(), props.dataDir(), pool,
                    props.chunkSize().toBytes(), space, props.raft(), props.raftTls(), props.scrub());
            garbage = new GarbageCollector(chunkServerId, mds, copysets);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (dataPort != null) {
                dataPort.close();
            }
            if (refiller != null) {
                refiller.close();
            }
            throw new IllegalStateException("chunk server cannot start on " + props.dataDir() + ": " + e.getMessage(), e);
        }
        long every = props.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::heartbeat, 0, every, TimeUnit.MILLISECONDS);
        collector.scheduleWithFixedDelay(this::collectGarbage, every, every, TimeUnit.MILLISECONDS);
        running = true;
        LOG.info("event=chunkserver-started id={} raft={}:{} dir={}", chunkServerId, props.host(), props.raftPort(),
                props.dataDir());
    }

    private long registerWithRetry() throws IOException {
        OptionalLong known = ChunkServerIdentity.read(props.dataDir());
        ChunkServerRegistration registration = new ChunkServerRegistration(props.physicalPool(), props.zone(),
                props.serverName(), props.host(), props.raftPort(), props.dataDir().toAbsolutePath().toString(),
                props.capacity().toBytes(), dataPort.port(), ChunkServerIdentity.diskId(props.dataDir()),
                known.isPresent() ? known.getAsLong() : null);
        for (int attempt = 1; ; attempt++) {
            try {
                ChunkServerInfo info = mds.register(registration);
                if (known.isPresent() && known.getAsLong() != info.id()) {
                    throw new IllegalStateException("data directory " + props.dataDir() + " belongs to chunk server "
                            + known.getAsLong() + " but the MDS answered id " + info.id() + " for " + props.host() + ":"
                            + props.raftPort() + ": start this disk with its own host and port");
                }
                ChunkServerIdentity.write(props.dataDir(), info.id());
                refreshTokenKeys();
                return info.id();
            } catch (io.camber.common.CamberException e) {
                if (e.code() == io.camber.common.ErrorCode.CONFLICT) {
                    throw e; // this disk is not who it claims to be: retrying cannot help, the message says what to do
                }
                if (e.code() == io.camber.common.ErrorCode.UNAUTHENTICATED
                        || e.code() == io.camber.common.ErrorCode.FORBIDDEN) {
                    // Waiting will not help either: the key is missing, unknown or of the wrong role.
                    throw new IllegalStateException("the MDS refused this chunk server's credential (" + e.getMessage()
                            + "): set camber.chunk.api-key to a service key (camber auth create-key --role service)", e);
                }
                if (attempt >= 120) {
                    throw new IOException(e.getMessage(), e);
                }
                LOG.warn("event=register-retry attempt={} error={}", attempt, e.toString());
                sleep(1000);
            } catch (IOException e) {
                // The MDS may still be starting, or the topology not applied yet: both heal by themselves.
                if (attempt >= 120) {
                    throw e;
                }
                LOG.warn("event=register-retry attempt={} error={}", attempt, e.toString());
                sleep(1000);
            }
        }
    }

    private void heartbeat() {
        try {
            List<ChunkServerHeartbeat.CopysetReport> reports = copysets.status().stream()
                    .map(s -> new ChunkServerHeartbeat.CopysetReport(s.logicalPoolId(), s.copysetId(), s.leader(),
                            s.term(), s.appliedIndex(), s.peers(), s.stableConf())).toList();
            long free = props.dataDir().toFile().getUsableSpace();
            long used = props.dataDir().toFile().getTotalSpace() - free;
            CopysetServer.IoTotals io = copysets.ioTotals();
            List<CopysetInfo> wanted = mds.heartbeat(new ChunkServerHeartbeat(chunkServerId, reports, used, free,
                    io.bytesWritten(), io.writes(), io.reads(), copysets.integrity().foundPages(),
                    copysets.integrity().unrepairedPages()));
            List<CopysetPeers> listed = peersOf(wanted);
            copysets.ensure(listed);
            removeOldReplicas(copysets.unlisted(listed));
        } catch (Exception e) {
            LOG.warn("event=heartbeat-failed error={}", e.toString());
        }
        refreshTokenKeys();
    }

    /**
     * Deletes the replicas of copysets this chunk server was replaced in, once the MDS confirms that the copyset's
     * leader runs a committed configuration without it; a hosted copyset the MDS does not name stays.
     */
    private void removeOldReplicas(List<io.camber.common.api.CopysetRef> unlisted) throws IOException {
        if (unlisted.isEmpty()) {
            return;
        }
        List<io.camber.common.api.CopysetRef> led = unlisted.stream().filter(copysets::leads).toList();
        if (!led.isEmpty()) {
            // Replaced while it led (or it won an election since): it must apply the new members itself.
            for (CopysetPeers c : peersOf(mds.copysets())) {
                if (led.contains(new io.camber.common.api.CopysetRef(c.logicalPoolId(), c.copysetId()))) {
                    copysets.reconcileReplaced(c);
                }
            }
        }
        java.util.Set<io.camber.common.api.CopysetRef> confirmed = new java.util.HashSet<>(
                mds.removableCopysets(chunkServerId));
        for (io.camber.common.api.CopysetRef c : unlisted) {
            if (confirmed.contains(c)) {
                copysets.remove(c);
            }
        }
    }

    /** Learns (again) whether data requests need tokens and the keys that sign them; a failure keeps the last. */
    private void refreshTokenKeys() {
        try {
            tokens.update(mds.tokenKeys());
        } catch (io.camber.common.CamberException e) {
            if (e.code() == io.camber.common.ErrorCode.NOT_FOUND) {
                // An MDS of a version without authentication (chunk services upgraded first): serve as before
                // rather than answer RETRY for ever; the next heartbeat after the MDS upgrade turns tokens on.
                tokens.update(new io.camber.common.api.TokenKeysInfo(false, List.of()));
                LOG.warn("event=token_keys_unsupported detail=\"the MDS has no /api/v1/auth/token-keys: data tokens"
                        + " are not checked until it is upgraded\"");
            } else {
                LOG.warn("event=token_keys_fetch_failed error={}", e.toString());
            }
        } catch (Exception e) {
            LOG.warn("event=token_keys_fetch_failed error={}", e.toString());
        }
    }

    /** On its own thread: deletes on a copyset that lost its quorum may wait, and must never delay heartbeats. */
    private void collectGarbage() {
        try {
            garbage.round();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("event=garbage-round-failed error={}", e.toString());
        }
    }

    private List<CopysetPeers> peersOf(List<CopysetInfo> infos) {
        List<CopysetPeers> out = new ArrayList<>();
        for (CopysetInfo c : infos) {
            if (c.chunkSize() != props.chunkSize().toBytes()) {
                LOG.error("event=copyset-skipped pool={} copyset={} reason=chunk-size-mismatch pool-chunk={} here={}",
                        c.logicalPoolId(), c.copysetId(), c.chunkSize(), props.chunkSize().toBytes());
                continue;
            }
            List<CopysetPeers.Member> members = new ArrayList<>();
            for (int i = 0; i < c.chunkServers().size(); i++) {
                members.add(new CopysetPeers.Member(c.chunkServers().get(i), c.addresses().get(i)));
            }
            out.add(new CopysetPeers(c.logicalPoolId(), c.copysetId(), members, c.epoch()));
        }
        return out;
    }

    /** The collector of deleted volumes' chunks, once started. */
    public GarbageCollector garbage() {
        return garbage;
    }

    /** The copyset Raft server, once started. */
    public CopysetServer copysets() {
        return copysets;
    }

    /** The preallocated chunk file pool, once opened. */
    public ChunkFilePool pool() {
        return pool;
    }

    /** What decides whether this disk can take a write, once the pool is open. */
    public SpaceGuard space() {
        return space;
    }

    /** The pool's background refiller, once started. */
    public ChunkFileRefiller refiller() {
        return refiller;
    }

    public long chunkServerId() {
        return chunkServerId;
    }

    /** Requests served on the data port. */
    public DataRequestHandler dataRequests() {
        return dataRequests;
    }

    @Override
    public void stop() {
        running = false;
        timer.shutdownNow();
        collector.shutdownNow();
        if (dataPort != null) {
            dataPort.close();
        }
        try {
            if (copysets != null) {
                copysets.close();
            }
        } catch (IOException e) {
            LOG.warn("event=copyset-server-close-failed error={}", e.toString());
        }
        // After the copysets: their last applies may still take pool files.
        if (refiller != null) {
            refiller.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
