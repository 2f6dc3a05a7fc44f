package io.camber.chunk.copyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.camber.chunk.store.ChunkFilePool;
import io.camber.chunk.store.SpaceGuard;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.NoSpaceException;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copyset replica on a disk that fills: the leader refuses writes before they enter the log, and an apply
 * that fails on IO waits for the disk instead of failing the entry. The disk's free space is a number the test
 * sets, so no disk needs filling.
 */
class CopysetDiskFullTest {
    private static final long CHUNK = 256 * 1024;
    private static final long FILE = io.camber.chunk.store.ChunkLayout.of(CHUNK).fileSize();
    private static final long RESERVE = 10 * FILE;
    private static final RaftGroupId GROUP = RaftGroupId.randomId();

    @TempDir
    Path tmp;
    private final AtomicLong usable = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private ChunkFilePool pool;
    private CopysetStateMachine sm;

    @BeforeEach
    void open() throws Exception {
        pool = ChunkFilePool.open(tmp.resolve("pool"), CHUNK, 1);
        sm = new CopysetStateMachine(tmp.resolve("1-1"), pool, CHUNK, new SpaceGuard(usable::get, pool, RESERVE));
        RaftServer server = mock(RaftServer.class, RETURNS_DEEP_STUBS);
        when(server.getId()).thenReturn(RaftPeerId.valueOf("cs1"));
        when(server.getDivision(GROUP).getInfo().isAlive()).thenAnswer(i -> alive.get());
        sm.initialize(server, GROUP, null);
    }

    @AfterEach
    void close() throws Exception {
        sm.close();
    }

    @Test
    void aWriteToANewChunkIsRefusedOnlyWhenThePoolIsEmptyAndNoFileFitsAboveTheReserve() throws Exception {
        usable.set(RESERVE + FILE - 1);
        assertThat(refusal(write(1, 0))).as("a pool file is left: no format needed").isNull();
        apply(1, write(1, 0));
        assertThat(pool.available()).isZero();

        assertThat(refusal(write(1, 4096))).as("chunk 1 exists: no new file needed").isNull();
        NoSpaceException refused = refusal(write(2, 0));
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.NO_SPACE);
        assertThat(refused.getMessage()).contains("free space").contains(String.valueOf(RESERVE + FILE - 1));

        usable.set(RESERVE + FILE);
        assertThat(refusal(write(2, 0))).as("room to format one file on top of the reserve").isNull();
    }

    @Test
    void aBatchIsRefusedWholeWhenItsNewChunksDoNotFitAndAppliedWholeOtherwise() throws Exception {
        usable.set(RESERVE + FILE - 1);
        apply(1, write(1, 0));
        ByteBuffer mixed = batch(write(1, 4096), ChunkRequest.fence(5, 2).encodeHeader(), write(2, 0));
        assertThat(refusal(mixed.duplicate())).as("chunk 2 is new, the pool is empty and no file fits").isNotNull();
        assertThat(refusal(batch(write(1, 8192), ChunkRequest.delete(0, 0, 9).encodeHeader())))
                .as("only existing chunks").isNull();

        usable.set(RESERVE + FILE);
        assertThat(refusal(mixed.duplicate())).isNull();
        apply(2, mixed);
        assertThat(sm.store().read(2, 0, 4096).get(0)).isEqualTo((byte) 2);
        assertThat(sm.store().read(1, 4096, 4096).get(0)).isEqualTo((byte) 1);
    }

    private static ByteBuffer batch(ByteBuffer... requests) {
        int size = ChunkRequest.HEADER;
        for (ByteBuffer r : requests) {
            size += r.remaining();
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(ChunkRequest.batchHeader(requests.length));
        for (ByteBuffer r : requests) {
            b.put(r.duplicate());
        }
        return b.flip();
    }

    @Test
    void belowTheReserveEveryWriteIsRefusedButDeletesAndFencesPass() throws Exception {
        apply(1, write(1, 0));
        usable.set(RESERVE - 1);

        assertThat(refusal(write(1, 4096))).as("even a write to an existing chunk").isNotNull();
        assertThat(refusal(ChunkRequest.delete(0, 0, 1).encodeHeader())).isNull();
        assertThat(refusal(ChunkRequest.fence(5, 2).encodeHeader())).isNull();
        assertThat(refusal(ByteBuffer.wrap(new byte[3]))).as("malformed: refused when applied, on every replica")
                .isNull();

        usable.set(RESERVE);
        assertThat(refusal(write(1, 4096))).as("writes resume once space is back").isNull();
    }

    @Test
    void anApplyThatFailsOnIoWaitsForTheDiskAndThenAppliesTheWholeEntry() throws Exception {
        pool.take(tmp.resolve("elsewhere")); // the pool is empty: the next new chunk formats a file on the spot
        Path poolDir = tmp.resolve("pool");
        Path hidden = tmp.resolve("pool-away");
        Files.move(poolDir, hidden); // formatting now fails with an IOException, as ENOSPC would

        CompletableFuture<Message> applied = CompletableFuture.supplyAsync(() -> sm.applyTransaction(entry(7,
                write(3, 8192))).join());
        awaitStalled();
        Thread.sleep(300);
        assertThat(applied).as("still retrying, not failed").isNotDone();
        assertThat(sm.getLastAppliedTermIndex().getIndex()).isLessThan(7);

        Files.move(hidden, poolDir); // space is back
        ChunkReply reply = ChunkReply.decode(applied.get(10, TimeUnit.SECONDS).getContent().asReadOnlyByteBuffer());
        assertThat(reply.ok()).isTrue();
        assertThat(sm.applyStalled()).isFalse();
        assertThat(sm.getLastAppliedTermIndex().getIndex()).isEqualTo(7);
        assertThat(bytes(sm.store().read(3, 8192, 4096))).isEqualTo(page(3));
        assertThat(pool.formattedOnDemand()).isEqualTo(1);
    }

    @Test
    void aStalledApplyGivesUpWhenTheReplicaClosesWithoutMarkingTheEntryApplied() throws Exception {
        apply(1, write(1, 0));
        pool.take(tmp.resolve("elsewhere"));
        Files.move(tmp.resolve("pool"), tmp.resolve("pool-away"));
        CompletableFuture<CompletableFuture<Message>> applying = CompletableFuture.supplyAsync(
                () -> sm.applyTransaction(entry(2, write(4, 0))));
        awaitStalled();

        alive.set(false); // Ratis is closing the group
        CompletableFuture<Message> applied = applying.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(applied::join).hasCauseInstanceOf(ApplyBackoff.Abandoned.class);
        assertThat(sm.getLastAppliedTermIndex().getIndex()).as("replayed on reopening").isEqualTo(1);
    }

    private void awaitStalled() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sm.applyStalled()) {
            assertThat(System.nanoTime()).as("apply stalls").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aFailedSnapshotKeepsThePreviousOneInsteadOfFailing() throws Exception {
        apply(1, write(1, 0));
        assertThat(sm.takeSnapshot()).isEqualTo(1);
        apply(2, write(1, 4096));
        // Make the snapshot meta impossible to write: its staging name is taken by a directory.
        Files.createDirectories(tmp.resolve("1-1").resolve(CopysetSnapshots.META + ".new").resolve("x"));

        assertThat(sm.takeSnapshot()).isEqualTo(1);

        Files.delete(tmp.resolve("1-1").resolve(CopysetSnapshots.META + ".new").resolve("x"));
        Files.delete(tmp.resolve("1-1").resolve(CopysetSnapshots.META + ".new"));
        assertThat(sm.takeSnapshot()).isEqualTo(2);
    }

    private NoSpaceException refusal(ByteBuffer request) throws Exception {
        RaftClientRequest r = RaftClientRequest.newBuilder().setClientId(ClientId.randomId())
                .setServerId(RaftPeerId.valueOf("cs1")).setGroupId(GROUP).setCallId(1)
                .setMessage(Message.valueOf(ByteString.copyFrom(request))).setType(RaftClientRequest.writeRequestType())
                .build();
        Exception e = sm.startTransaction(r).getException();
        if (e != null && !(e instanceof NoSpaceException)) {
            throw new AssertionError("unexpected refusal", e);
        }
        return (NoSpaceException) e;
    }

    private void apply(long index, ByteBuffer request) throws Exception {
        ChunkReply reply = ChunkReply.decode(sm.applyTransaction(entry(index, request)).get(10, TimeUnit.SECONDS)
                .getContent().asReadOnlyByteBuffer());
        if (!reply.ok()) {
            throw new CamberException(reply.error(), reply.detail());
        }
    }

    private TransactionContext entry(long index, ByteBuffer request) {
        LogEntryProto entry = LogEntryProto.newBuilder().setTerm(1).setIndex(index).setStateMachineLogEntry(
                StateMachineLogEntryProto.newBuilder().setLogData(ByteString.copyFrom(request))).build();
        return TransactionContext.newBuilder().setStateMachine(sm).setServerRole(RaftPeerRole.FOLLOWER)
                .setLogEntry(entry).build();
    }

    private static ByteBuffer write(long chunkId, long offset) {
        ChunkRequest r = ChunkRequest.write(0, 0, chunkId, offset, ByteBuffer.wrap(page((int) chunkId)));
        ByteBuffer b = ByteBuffer.allocate(ChunkRequest.HEADER + 4096);
        b.put(r.encodeHeader()).put(r.data());
        return b.flip();
    }

    private static byte[] page(int value) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
