package io.camber.client.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CopysetWriteQueueTest {

    /** Records every entry sent and lets the test answer it, as a copyset would: applying each request in order. */
    private static final class FakeCopyset {
        final List<ChunkRequest> entries = new ArrayList<>();
        final List<CompletableFuture<ChunkReply>> replies = new ArrayList<>();

        CompletableFuture<ChunkReply> send(ByteBuffer[] parts) {
            entries.add(ChunkRequest.decode(joined(parts)));
            CompletableFuture<ChunkReply> f = new CompletableFuture<>();
            replies.add(f);
            return f;
        }

        /** Answers entry i: each write OK with its length, unless its chunk id is 13 (refused as FENCED). */
        void apply(int i) {
            ChunkRequest e = entries.get(i);
            List<ChunkRequest> ops = e.op() == ChunkRequest.Op.BATCH ? e.batch() : List.of(e);
            List<ChunkReply> out = new ArrayList<>();
            for (ChunkRequest r : ops) {
                out.add(r.chunkId() == 13 ? ChunkReply.failure(new CamberException(ErrorCode.FENCED, "old epoch"))
                        : ChunkReply.ok(r.length(), null));
            }
            ChunkReply reply = e.op() == ChunkRequest.Op.BATCH ? ChunkReply.batch(out) : out.get(0);
            // through the wire format, as a real reply
            replies.get(i).complete(ChunkReply.decode(reply.encode()));
        }
    }

    /** The parts as the wire carries them: one after the other. */
    private static ByteBuffer joined(ByteBuffer[] parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            all.put(p.duplicate());
        }
        return all.flip();
    }

    private static ChunkRequest write(long chunkId, int pages) {
        return ChunkRequest.write(7, 1, chunkId, 0, ByteBuffer.allocate(pages * 4096));
    }

    @Test
    void aLoneWriteLeavesAtOnceAndLaterOnesLeaveTogetherWhileTheWindowIsFull() {
        FakeCopyset copyset = new FakeCopyset();
        CopysetWriteQueue queue = new CopysetWriteQueue(copyset::send, 2, 1 << 20);
        List<CompletableFuture<ChunkReply>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.add(queue.submit(write(100 + i, 1)));
        }
        assertThat(copyset.entries).as("two entries in flight, the rest waiting").hasSize(2);
        assertThat(copyset.entries.get(0).op()).isEqualTo(ChunkRequest.Op.WRITE);
        copyset.apply(0);
        assertThat(copyset.entries).hasSize(3);
        ChunkRequest batch = copyset.entries.get(2);
        assertThat(batch.op()).isEqualTo(ChunkRequest.Op.BATCH);
        assertThat(batch.batch()).extracting(ChunkRequest::chunkId)
                .containsExactly(102L, 103L, 104L, 105L, 106L, 107L, 108L, 109L);
        copyset.apply(1);
        copyset.apply(2);
        assertThat(results).allSatisfy(f -> assertThat(f.join().value()).isEqualTo(4096));
        assertThat(queue.inFlight()).isZero();
    }

    @Test
    void eachRequestOfABatchGetsItsOwnAnswer() {
        FakeCopyset copyset = new FakeCopyset();
        CopysetWriteQueue queue = new CopysetWriteQueue(copyset::send, 1, 1 << 20);
        queue.submit(write(1, 1));
        CompletableFuture<ChunkReply> ok = queue.submit(write(2, 1));
        CompletableFuture<ChunkReply> fenced = queue.submit(write(13, 1));
        copyset.apply(0);
        copyset.apply(1);
        assertThat(ok.join().ok()).isTrue();
        assertThatThrownBy(() -> fenced.join().orThrow()).isInstanceOf(CamberException.class)
                .hasMessageContaining("old epoch");
    }

    @Test
    void batchesStopAtTheByteLimitAndNeverSplitARequest() {
        FakeCopyset copyset = new FakeCopyset();
        CopysetWriteQueue queue = new CopysetWriteQueue(copyset::send, 1, 1 << 20);
        queue.submit(write(1, 1));
        for (int i = 0; i < 5; i++) {
            queue.submit(write(10 + i, 64)); // 256 KiB each
        }
        copyset.apply(0);
        assertThat(copyset.entries.get(1).batch()).as("four 256 KiB writes and their headers exceed 1 MiB")
                .hasSize(3);
        copyset.apply(1);
        assertThat(copyset.entries.get(2).batch()).hasSize(2);
    }

    @Test
    void aFailedEntryFailsEveryRequestInItAndTheQueueGoesOn() {
        FakeCopyset copyset = new FakeCopyset();
        CopysetWriteQueue queue = new CopysetWriteQueue(copyset::send, 1, 1 << 20);
        queue.submit(write(1, 1));
        CompletableFuture<ChunkReply> a = queue.submit(write(2, 1));
        CompletableFuture<ChunkReply> b = queue.submit(write(3, 1));
        copyset.apply(0);
        copyset.replies.get(1).completeExceptionally(new CamberException(ErrorCode.UNAVAILABLE, "no leader"));
        assertThatThrownBy(a::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("no leader");
        assertThatThrownBy(b::join).isInstanceOf(CompletionException.class);
        CompletableFuture<ChunkReply> c = queue.submit(write(4, 1));
        assertThat(copyset.entries).hasSize(3);
        copyset.apply(2);
        assertThat(c.join().ok()).isTrue();
    }
}
