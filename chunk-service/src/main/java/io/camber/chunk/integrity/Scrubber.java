package io.camber.chunk.integrity;

import io.camber.chunk.copyset.CopysetStateMachine;
import io.camber.chunk.copyset.CorruptReads;
import io.camber.chunk.store.CorruptPagesException;
import io.camber.chunk.store.PageChecksums;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import io.camber.server.raft.GroupServer;
import io.camber.server.raft.RaftSettings;
import io.camber.server.raft.RaftTls;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Compares the replicas of every copyset this chunk server leads and mends pages that fail their checksum or that
 * disagree with the majority, one 1 MiB range at a time at a bounded rate, a full pass every {@code interval}.
 *
 * <p>A range is compared only when all replicas report the same chunk sequence (no write in between); the repair is
 * a REPAIR entry in the copyset's log carrying a good replica's bytes and that sequence, so every replica applies it
 * only if the chunk is still as compared, and a concurrent client write always wins. Reads that hit a bad page are
 * answered by another replica ({@link #answer}) and their range is scrubbed next.
 */
public final class Scrubber implements CorruptReads, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
    private static final int RANGE = ChunkRequest.MAX_READ;
    private static final int PAGE = 4096;
    private static final long REPLY_TIMEOUT_SECONDS = 10;

    private final Supplier<GroupServer> server;
    private final PeerReads peers;
    private final IntegrityStats stats;
    private final Duration interval;
    private final long bytesPerSecond;
    /** Ranges reads found bad, scrubbed before anything else; each range queued at most once. */
    private final DelayQueue<Suspect> suspects = new DelayQueue<>();
    private final Set<Suspect> queued = ConcurrentHashMap.newKeySet();
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private long paceNanos = System.nanoTime();

    /** Times a suspect range that could not be compared (a replica down or busy) is tried again, 2 s apart. */
    private static final int SUSPECT_ATTEMPTS = 30;

    /** A range a read found bad, to scrub before anything else; equal by range, so queued once. */
    private record Suspect(RaftGroupId group, long chunkId, long offset, int length, int attempt, long dueNanos)
            implements Delayed {
        Suspect retry() {
            return new Suspect(group, chunkId, offset, length, attempt + 1, System.nanoTime() + 2_000_000_000L);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Suspect) other).dueNanos);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Suspect s && s.group.equals(group) && s.chunkId == chunkId && s.offset == offset
                    && s.length == length;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(group, chunkId, offset, length);
        }
    }

    public Scrubber(Supplier<GroupServer> server, RaftSettings raft, RaftTls tls, IntegrityStats stats,
            ScrubSettings settings) {
        this.server = server;
        this.peers = new PeerReads(raft, tls);
        this.stats = stats;
        this.interval = settings.interval();
        this.bytesPerSecond = settings.rate().toBytes();
        this.thread = new Thread(this::run, "chunk-scrub");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    @Override
    public CompletableFuture<ChunkReply> answer(RaftGroupId group, ChunkRequest read, CorruptPagesException corrupt,
            long appliedIndex) {
        Optional<RaftServer.Division> division = division(group);
        if (division.isEmpty() || !division.get().getInfo().isLeader()) {
            // Only the leader asks around and keeps count: a follower asked by the leader says no rather than asking
            // back, and the leader's scrub finds the follower's bad page itself.
            return CompletableFuture.completedFuture(ChunkReply.failure(unavailable(corrupt)));
        }
        stats.found(group, read.chunkId(), corrupt.pages());
        LOG.warn("event=chunk_pages_corrupt group={} chunk={} pages={} found=read", group, read.chunkId(),
                corrupt.pages());
        suspect(new Suspect(group, read.chunkId(), read.offset(), read.length(), 0, 0));
        // A replica that applied every write this one applied to the chunk has bytes at least as new.
        long minIndex = ((CopysetStateMachine) division.get().getStateMachine()).store().stat(read.chunkId())
                .sequence();
        RaftGroup members = division.get().getGroup();
        CompletableFuture<ChunkReply> answer = CompletableFuture.completedFuture(null);
        for (RaftPeer peer : division.get().getRaftConf().getCurrentPeers()) {
            if (peer.getId().equals(server.get().self())) {
                continue;
            }
            answer = answer.thenCompose(found -> found != null && found.ok() ? CompletableFuture.completedFuture(found)
                    : peers.ask(members, peer.getId(), read, minIndex).exceptionally(e -> null));
        }
        return answer.thenApply(found -> found != null && found.ok() ? found : ChunkReply.failure(unavailable(corrupt)));
    }

    private void suspect(Suspect s) {
        if (queued.add(s)) {
            suspects.add(s);
        }
    }

    private static CamberException unavailable(CorruptPagesException corrupt) {
        return new CamberException(ErrorCode.UNAVAILABLE, corrupt.getMessage() + " here and no other replica answered"
                + " with good bytes; retry, and check `camber cluster status` for scrub errors");
    }

    private void run() {
        long nextPass = System.nanoTime() + interval.toNanos();
        while (running) {
            try {
                Suspect s = suspects.poll(1, TimeUnit.SECONDS);
                if (s != null) {
                    scrubSuspect(s);
                } else if (System.nanoTime() - nextPass >= 0) {
                    try {
                        pass();
                    } finally {
                        nextPass = System.nanoTime() + interval.toNanos();
                    }
                }
                stats.keepLed(this::leads);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("event=scrub_failed error={}", e.toString());
            }
        }
    }

    private void scrubSuspect(Suspect s) {
        queued.remove(s);
        Optional<RaftServer.Division> division = division(s.group());
        if (division.isEmpty() || !running) {
            return;
        }
        if (!scrubRange(division.get(), s.chunkId(), s.offset(), s.length()) && s.attempt() < SUSPECT_ATTEMPTS) {
            suspect(s.retry());
        }
    }

    private boolean leads(RaftGroupId group) {
        return division(group).map(d -> d.getInfo().isLeader()).orElse(false);
    }

    /** One full pass over the copysets led here; reads that hit bad pages meanwhile go first. */
    void pass() throws InterruptedException {
        long started = System.nanoTime();
        long before = stats.scrubbedBytes();
        for (RaftGroupId group : server.get().groupIds()) {
            Optional<RaftServer.Division> division = division(group);
            if (division.isEmpty() || !division.get().getInfo().isLeader()) {
                peers.forget(group, null);
                continue;
            }
            CopysetStateMachine sm = (CopysetStateMachine) division.get().getStateMachine();
            List<Long> chunkIds = sm.store().chunkIds();
            stats.keepOnly(group, new java.util.HashSet<>(chunkIds));
            for (long chunkId : chunkIds) {
                for (long offset = 0; offset < sm.chunkSize() && running; offset += RANGE) {
                    Suspect s;
                    while ((s = suspects.poll()) != null) {
                        scrubSuspect(s);
                    }
                    if (!division.get().getInfo().isLeader()) {
                        break;
                    }
                    int length = (int) Math.min(RANGE, sm.chunkSize() - offset);
                    try {
                        scrubRange(division.get(), chunkId, offset, length);
                    } catch (RuntimeException e) {
                        LOG.warn("event=scrub_range_failed group={} chunk={} offset={} error={}", group, chunkId,
                                offset, e.toString());
                    }
                    pace(length);
                }
            }
        }
        LOG.info("event=scrub_pass_done bytes={} seconds={} unrepaired={}", stats.scrubbedBytes() - before,
                (System.nanoTime() - started) / 1_000_000_000, stats.unrepairedPages());
    }

    /** Sleeps as long as reading {@code bytes} takes at the configured rate (each replica reads them once). */
    private void pace(long bytes) throws InterruptedException {
        paceNanos = Math.max(paceNanos, System.nanoTime()) + bytes * 1_000_000_000L / bytesPerSecond;
        // In short steps, so close() never waits long (it does not interrupt: an interrupt closes FileChannels).
        while (running && paceNanos - System.nanoTime() > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(paceNanos - System.nanoTime(), 100_000_000L));
        }
    }

    /**
     * Compares one range on all replicas and repairs what the majority disagrees with; false when it could not
     * compare (not leader yet, a replica down, or the chunk written or replayed meanwhile).
     */
    boolean scrubRange(RaftServer.Division division, long chunkId, long offset, int length) {
        if (!division.getInfo().isLeaderReady()) {
            return false;
        }
        RaftGroupId group = division.getGroup().getGroupId();
        CopysetStateMachine sm = (CopysetStateMachine) division.getStateMachine();
        RaftPeerId self = server.get().self();
        Map<RaftPeerId, PageChecksums> views = new LinkedHashMap<>();
        PageChecksums local = sm.store().scrub(chunkId, offset, length);
        if (local.sequence() > division.getInfo().getLastAppliedIndex()) {
            return false; // replaying after a restart: the bytes may be older than the sequence says
        }
        views.put(self, local);
        // Each peer must have applied every write this replica applied to the chunk; it answers with its sequence.
        long minIndex = local.sequence();
        List<CompletableFuture<ChunkReply>> asked = new ArrayList<>();
        List<RaftPeerId> askedPeers = new ArrayList<>();
        for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
            if (!peer.getId().equals(self)) {
                askedPeers.add(peer.getId());
                asked.add(peers.ask(division.getGroup(), peer.getId(), ChunkRequest.scrub(chunkId, offset, length),
                        minIndex));
            }
        }
        for (int i = 0; i < asked.size(); i++) {
            ChunkReply reply = await(asked.get(i));
            if (reply != null && reply.ok()) {
                views.put(askedPeers.get(i), checksumsOf(reply, length / PAGE));
            }
        }
        stats.scrubbed((long) length * views.size());
        if (views.size() < 2 || views.values().stream().anyMatch(v -> v.sequence() != local.sequence())) {
            return false; // a peer is down or the chunk is being written: compared later
        }
        List<Integer> bad = new ArrayList<>();
        List<Integer> hopeless = new ArrayList<>();
        Map<Integer, RaftPeerId> sourceOf = new LinkedHashMap<>();
        for (int p = 0; p < length / PAGE; p++) {
            Long good = majority(views, p);
            if (good == null) {
                hopeless.add((int) (offset / PAGE) + p);
                LOG.error("event=chunk_page_inconsistent group={} chunk={} page={} values={}", group, chunkId,
                        offset / PAGE + p, describe(views, p));
                continue;
            }
            for (Map.Entry<RaftPeerId, PageChecksums> v : views.entrySet()) {
                if (v.getValue().checksums()[p] != good) {
                    bad.add(p);
                    break;
                }
            }
            if (!bad.isEmpty() && bad.get(bad.size() - 1) == p) {
                int page = p;
                views.forEach((peer, view) -> {
                    if (view.checksums()[page] == good) {
                        sourceOf.putIfAbsent(page, peer);
                    }
                });
                LOG.warn("event=chunk_pages_corrupt group={} chunk={} pages=[{}] found=scrub replicas={}", group,
                        chunkId, offset / PAGE + p, describe(views, p));
            }
        }
        List<Integer> badPages = new ArrayList<>(hopeless);
        bad.forEach(p -> badPages.add((int) (offset / PAGE) + p));
        stats.consistent(group, chunkId, (int) (offset / PAGE), length / PAGE, new java.util.HashSet<>(badPages));
        stats.found(group, chunkId, badPages);
        if (!bad.isEmpty()) {
            repair(division, chunkId, offset, bad, sourceOf, views, local.sequence(), minIndex);
        }
        return true;
    }

    /** The value most replicas hold, if it is a checked checksum held by more than half or by every readable one. */
    private static Long majority(Map<RaftPeerId, PageChecksums> views, int page) {
        Map<Long, Integer> counts = new LinkedHashMap<>();
        int readable = 0;
        for (PageChecksums v : views.values()) {
            long value = v.checksums()[page];
            if (value != PageChecksums.CORRUPT) {
                counts.merge(value, 1, Integer::sum);
                readable++;
            }
        }
        for (Map.Entry<Long, Integer> c : counts.entrySet()) {
            if (2 * c.getValue() > views.size() || c.getValue() == readable && counts.size() == 1) {
                return c.getKey();
            }
        }
        return null;
    }

    private void repair(RaftServer.Division division, long chunkId, long offset, List<Integer> bad,
            Map<Integer, RaftPeerId> sourceOf, Map<RaftPeerId, PageChecksums> views, long sequence, long minIndex) {
        RaftGroupId group = division.getGroup().getGroupId();
        int i = 0;
        while (i < bad.size()) {
            // A run of consecutive bad pages with the same good source becomes one REPAIR.
            int first = bad.get(i);
            RaftPeerId source = sourceOf.get(first);
            int end = i + 1;
            while (end < bad.size() && bad.get(end) == bad.get(end - 1) + 1 && source.equals(sourceOf.get(bad.get(end)))) {
                end++;
            }
            int count = end - i;
            i = end;
            long at = offset + (long) first * PAGE;
            ByteBuffer bytes = goodBytes(division, source, chunkId, at, count, sequence, views.get(source), first,
                    minIndex);
            if (bytes == null) {
                continue;
            }
            ChunkReply applied = submitRepair(division, ChunkRequest.repair(chunkId, at, bytes, sequence));
            if (applied != null && applied.ok() && applied.value() == 1) {
                stats.repaired(group, chunkId, (int) (at / PAGE), count);
                LOG.info("event=chunk_pages_repaired group={} chunk={} firstPage={} pages={} from={}", group, chunkId,
                        at / PAGE, count, source);
            }
        }
    }

    /** The bytes of count pages at {@code at} on source, if they still match what the comparison saw. */
    private ByteBuffer goodBytes(RaftServer.Division division, RaftPeerId source, long chunkId, long at, int count,
            long sequence, PageChecksums compared, int firstPage, long minIndex) {
        int length = count * PAGE;
        PageChecksums view;
        ByteBuffer bytes;
        if (source.equals(server.get().self())) {
            bytes = ByteBuffer.allocate(length);
            view = ((CopysetStateMachine) division.getStateMachine()).store().scrub(chunkId, at, length, bytes);
        } else {
            ChunkReply reply = await(peers.ask(division.getGroup(), source,
                    new ChunkRequest(ChunkRequest.Op.SCRUB, 1, 0, chunkId, at, length, null), minIndex));
            if (reply == null || !reply.ok()) {
                return null;
            }
            view = checksumsOf(reply, count);
            bytes = reply.data().slice(count * 8, length);
        }
        for (int p = 0; p < count; p++) {
            if (view.sequence() != sequence || view.checksums()[p] != compared.checksums()[firstPage + p]) {
                return null; // changed since the comparison: the next pass looks again
            }
        }
        return bytes;
    }

    private static PageChecksums checksumsOf(ChunkReply reply, int pages) {
        long[] checksums = new long[pages];
        ByteBuffer data = reply.data().duplicate();
        for (int p = 0; p < pages; p++) {
            checksums[p] = data.getLong();
        }
        return new PageChecksums(reply.value(), checksums);
    }

    private ChunkReply submitRepair(RaftServer.Division division, ChunkRequest repair) {
        ByteBuffer header = repair.encodeHeader();
        ByteBuffer entry = ByteBuffer.allocate(header.remaining() + repair.length()).put(header)
                .put(repair.data().duplicate()).flip();
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(division.getId())
                .setGroupId(division.getGroup().getGroupId())
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)))
                .setType(RaftClientRequest.writeRequestType())
                .build();
        // Straight to the division: the server's proxy call can block its caller for good (see DataRequestHandler).
        if (!(division instanceof RaftClientAsynchronousProtocol direct)) {
            return null;
        }
        try {
            return await(direct.submitClientRequestAsync(request).thenApply(reply -> reply.isSuccess()
                    ? ChunkReply.decode(reply.getMessage().getContent().asReadOnlyByteBuffer()) : null));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    private static String describe(Map<RaftPeerId, PageChecksums> views, int page) {
        StringBuilder out = new StringBuilder();
        views.forEach((peer, v) -> {
            long value = v.checksums()[page];
            out.append(peer).append('=').append(value == PageChecksums.CORRUPT ? "CORRUPT"
                    : value == PageChecksums.UNWRITTEN ? "unwritten" : Long.toHexString(value)).append(' ');
        });
        return out.toString().trim();
    }

    private Optional<RaftServer.Division> division(RaftGroupId group) {
        GroupServer s = server.get();
        return s == null ? Optional.empty() : s.division(group);
    }

    /** Stops the scrub and waits for it; called before the copysets close, so it never reads a closing store. */
    @Override
    public void close() {
        running = false;
        if (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(REPLY_TIMEOUT_SECONDS + 5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        peers.close();
    }
}
