package io.camber.chunk.copyset;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import io.camber.server.storage.DirectorySync;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Catches one replica up when its leader's log no longer holds what it misses: the replica pulls the leader's latest
 * snapshot itself, one 1 MiB piece of a chunk file per read, into a folder beside the copyset, and swaps the files in
 * when Ratis reloads the state machine.
 *
 * <p>Why not Ratis' own snapshot stream: in Ratis 3.3 the leader records a piece as sent only after handing it to
 * gRPC, and a follower's reply that arrives first fails the whole stream, which then restarts from its first piece.
 * Copysets of a few GiB then rarely finished. Here nothing already fetched is fetched again: a failed read ends this
 * attempt, the leader notifies again, and the next attempt goes on where this one stopped, as long as the leader's
 * snapshot is the same one (a file fetched against one snapshot index is only valid with that index: the log is
 * replayed from it). Finished files are fsync'd and renamed; a partly fetched file is trusted only within this
 * process, since after a crash its unsynced tail may read back as zeros.
 */
final class SnapshotFetch {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFetch.class);
    private static final String MANIFEST = "manifest";
    private static final String PART = ".part";
    private static final long READ_TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final CatchUp catchUp;
    /** Bytes of each partly fetched file written by this process. */
    private final Map<Long, Long> partial = new ConcurrentHashMap<>();

    SnapshotFetch(Path dir, CatchUp catchUp) {
        this.dir = dir;
        this.catchUp = catchUp;
    }

    /**
     * Fetches the leader's latest snapshot into this fetch's folder and says what it holds; null when the leader has
     * taken none yet (its whole log is still there: a new replica is notified all the same, once). Blocks.
     */
    SnapshotManifest fetch(RaftGroup group, RaftPeerId leader) throws IOException {
        long started = System.nanoTime();
        ChunkReply listed = ask(group, leader, ChunkRequest.snapshotList());
        if (listed.error() == ErrorCode.NOT_FOUND) {
            return null;
        }
        SnapshotManifest manifest = SnapshotManifest.decode(listed.orThrow().data());
        SnapshotManifest before = readManifest();
        if (!manifest.sameSnapshot(before)) {
            FileUtils.deleteFully(dir);
            partial.clear();
        }
        Files.createDirectories(dir);
        writeManifest(manifest);
        long bytes = 0;
        int files = 0;
        for (long chunkId : manifest.chunkIds()) {
            if (!Files.exists(dir.resolve(Long.toString(chunkId)))) {
                bytes += fetchFile(group, leader, chunkId, manifest.fileSize());
                files++;
            }
        }
        DirectorySync.sync(dir);
        LOG.info("event=copyset-snapshot-fetched dir={} leader={} index={} chunks={} fetched_files={} fetched_bytes={}"
                        + " resumed={} seconds={}", dir, leader, manifest.termIndex().getIndex(),
                manifest.chunkIds().size(), files, bytes, manifest.sameSnapshot(before),
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
        return manifest;
    }

    /** Fetches one chunk file from where this process left it; 0 bytes if the leader deleted the chunk meanwhile. */
    private long fetchFile(RaftGroup group, RaftPeerId leader, long chunkId, long size) throws IOException {
        Path part = dir.resolve(chunkId + PART);
        long from = partial.getOrDefault(chunkId, 0L);
        if (from == 0) {
            Files.deleteIfExists(part);
        }
        long at = from;
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            while (at < size) {
                int length = (int) Math.min(ChunkRequest.MAX_READ, size - at);
                ChunkReply reply = ask(group, leader, ChunkRequest.snapshotRead(chunkId, at, length));
                if (reply.error() == ErrorCode.NOT_FOUND) {
                    // Deleted on the leader after its snapshot: the replayed log deletes it here too.
                    partial.remove(chunkId);
                    Files.deleteIfExists(part);
                    return at - from;
                }
                ByteBuffer data = reply.orThrow().data();
                if (data == null || data.remaining() != length) {
                    throw new IOException("leader " + leader + " answered " + (data == null ? 0 : data.remaining())
                            + " bytes of chunk " + chunkId + " at " + at + " instead of " + length);
                }
                while (data.hasRemaining()) {
                    ch.write(data, at + (length - data.remaining()));
                }
                at += length;
                partial.put(chunkId, at);
                catchUp.fetched(length);
            }
            ch.force(true);
        }
        Files.move(part, dir.resolve(Long.toString(chunkId)), StandardCopyOption.ATOMIC_MOVE);
        partial.remove(chunkId);
        return at - from;
    }

    /**
     * Puts the fetched files in place of the copyset's chunk files (the store is closed), then records the snapshot's
     * meta, which makes the state machine open at its index. Chunks the leader did not list are deleted here.
     */
    void install(SnapshotManifest manifest, Path chunksDir, CopysetSnapshots snapshots) throws IOException {
        Files.createDirectories(chunksDir);
        Set<String> listed = new HashSet<>();
        manifest.chunkIds().forEach(id -> listed.add(Long.toString(id)));
        try (var files = Files.list(chunksDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!listed.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
        for (long chunkId : manifest.chunkIds()) {
            Path fetched = dir.resolve(Long.toString(chunkId));
            Path target = chunksDir.resolve(Long.toString(chunkId));
            if (Files.exists(fetched)) {
                Files.move(fetched, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(target); // deleted on the leader while it was fetched
            }
        }
        DirectorySync.sync(chunksDir);
        snapshots.writeMeta(manifest.meta());
        FileUtils.deleteFully(dir);
        partial.clear();
        catchUp.finished();
    }

    private ChunkReply ask(RaftGroup group, RaftPeerId leader, ChunkRequest request) throws IOException {
        try {
            return catchUp.reads().ask(group, leader, request, 0).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching from " + leader, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("leader " + leader + " did not answer " + request.op() + ": " + cause.getMessage(),
                    cause instanceof CamberException ? cause : e);
        }
    }

    private SnapshotManifest readManifest() {
        try {
            return SnapshotManifest.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(MANIFEST))));
        } catch (IOException | RuntimeException e) {
            return null; // none yet, or torn by a crash: start over
        }
    }

    private void writeManifest(SnapshotManifest manifest) throws IOException {
        Path staging = dir.resolve(MANIFEST + PART);
        ByteBuffer bytes = manifest.encode();
        try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        Files.move(staging, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
