package io.camber.client.chunk;

import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Group commit on the client, per copyset. A copyset is one Raft log: each entry costs a replication round
 * and an fsync on every replica, whatever its size. While {@code maxInFlight} entries are on their way,
 * further writes, deletes and fences wait here and leave together as one BATCH entry (up to maxBatchBytes of
 * payload and {@link ChunkRequest#MAX_BATCH} requests). A lone request leaves at once, so a queue depth of
 * one pays no extra latency.
 *
 * <p>Requests in one batch never touch the same page: the volume layer orders writes to a page one after
 * another, each waiting for the previous one's reply.
 */
final class CopysetWriteQueue {
    private record Pending(ChunkRequest request, CompletableFuture<ChunkReply> reply) {
    }

    private final java.util.function.BiFunction<long[], ByteBuffer[], CompletableFuture<ChunkReply>> sender;
    private final int maxInFlight;
    private final int maxBatchBytes;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private int inFlight;

    /** sender replicates one entry and answers the copyset's reply. */
    CopysetWriteQueue(Function<ByteBuffer[], CompletableFuture<ChunkReply>> sender, int maxInFlight, int maxBatchBytes) {
        this((volumes, parts) -> sender.apply(parts), maxInFlight, maxBatchBytes);
    }

    /**
     * sender replicates one entry (touching the given (volume id, epoch) pairs, laid out one after another) and
     * answers the copyset's reply.
     */
    CopysetWriteQueue(java.util.function.BiFunction<long[], ByteBuffer[], CompletableFuture<ChunkReply>> sender,
                      int maxInFlight, int maxBatchBytes) {
        this.sender = sender;
        this.maxInFlight = maxInFlight;
        this.maxBatchBytes = maxBatchBytes;
    }

    /** Queues a logged request; completes with its own reply once the entry carrying it is committed and applied. */
    CompletableFuture<ChunkReply> submit(ChunkRequest request) {
        CompletableFuture<ChunkReply> reply = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(new Pending(request, reply));
        }
        drain();
        return reply;
    }

    private void drain() {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                if (inFlight >= maxInFlight || waiting.isEmpty()) {
                    return;
                }
                batch = takeBatch();
                inFlight++;
            }
            send(batch);
        }
    }

    /** The oldest waiting requests that fit one entry; at least one. */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        int bytes = 0;
        while (!waiting.isEmpty() && batch.size() < ChunkRequest.MAX_BATCH) {
            int next = payload(waiting.peek().request());
            if (!batch.isEmpty() && bytes + next > maxBatchBytes) {
                break;
            }
            bytes += next;
            batch.add(waiting.poll());
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        CompletableFuture<ChunkReply> sent;
        try {
            List<ChunkRequest> requests = batch.stream().map(Pending::request).toList();
            long[] volumeEpochs = new long[2 * requests.size()];
            for (int i = 0; i < requests.size(); i++) {
                volumeEpochs[2 * i] = requests.get(i).volumeId();
                volumeEpochs[2 * i + 1] = requests.get(i).epoch();
            }
            sent = sender.apply(volumeEpochs, encode(requests));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((reply, error) -> {
            synchronized (this) {
                inFlight--;
            }
            answer(batch, reply, error);
            drain();
        });
    }

    private static void answer(List<Pending> batch, ChunkReply reply, Throwable error) {
        if (error != null) {
            batch.forEach(p -> p.reply().completeExceptionally(error));
        } else if (batch.size() == 1 || !reply.ok()) {
            // a lone request's own reply, or a refusal of the whole entry (each caller gets it)
            batch.forEach(p -> p.reply().complete(reply));
        } else {
            List<ChunkReply> replies = reply.unbatch();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).reply().complete(replies.get(i));
            }
        }
    }

    /** One request as itself; several behind a BATCH header. The parts wrap the payloads, never copy them. */
    static ByteBuffer[] encode(List<ChunkRequest> batch) {
        List<ByteBuffer> parts = new ArrayList<>(2 * batch.size() + 1);
        if (batch.size() > 1) {
            parts.add(ChunkRequest.batchHeader(batch.size()));
        }
        for (ChunkRequest r : batch) {
            parts.add(r.encodeHeader());
            if (r.data() != null) {
                parts.add(r.data().slice());
            }
        }
        return parts.toArray(ByteBuffer[]::new);
    }

    private static int payload(ChunkRequest r) {
        return ChunkRequest.HEADER + (r.data() == null ? 0 : r.data().remaining());
    }

    /** Entries on their way right now; for tests. */
    synchronized int inFlight() {
        return inFlight;
    }
}
