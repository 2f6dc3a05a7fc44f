package io.camber.chunk.copyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.camber.chunk.store.ChunkFilePool;
import io.camber.chunk.store.ChunkLayout;
import io.camber.chunk.store.SpaceGuard;
import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.proto.RaftProtos.FollowerInfoProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica catching up from its leader's snapshot (SnapshotFetch), on two state machines without Raft around them:
 * the follower's reads go straight to the leader's state machine, and the test plays Ratis' part (pause, reload,
 * replay of the log after the snapshot). Chunks of 2 MiB make every file three 1 MiB pieces (data, then meta and checksums), so a fetch that fails
 * half way has something to resume.
 */
class CopysetCatchUpTest {
    private static final long CHUNK = 2 << 20;
    private static final long FILE = ChunkLayout.of(CHUNK).fileSize();
    private static final int PIECES_PER_FILE = (int) ((FILE + ChunkRequest.MAX_READ - 1) / ChunkRequest.MAX_READ);
    private static final RaftGroupId GROUP = RaftGroupId.randomId();

    @TempDir
    Path tmp;
    private CopysetStateMachine leader;
    private CopysetStateMachine follower;
    private CatchUp catchUp;
    private final List<ByteBuffer> log = new ArrayList<>();
    private final AtomicInteger pieceReads = new AtomicInteger();
    /** Reads the leader answers before the next one fails (a leader that goes away), or -1: never fail. */
    private final AtomicInteger failAfter = new AtomicInteger(-1);

    @BeforeEach
    void open() throws Exception {
        leader = stateMachine("leader", null);
        catchUp = new CatchUp((group, peer, request, minIndex) -> {
            if (failAfter.get() == 0) {
                return CompletableFuture.failedFuture(new CamberException(ErrorCode.UNAVAILABLE, "leader went away"));
            }
            failAfter.decrementAndGet();
            if (request.op() == ChunkRequest.Op.SNAPSHOT_READ) {
                pieceReads.incrementAndGet();
            }
            return leader.queryStale(Message.valueOf(ByteString.copyFrom(request.encodeHeader())), minIndex)
                    .thenApply(m -> ChunkReply.decode(m.getContent().asReadOnlyByteBuffer()));
        });
        follower = stateMachine("follower", catchUp);
    }

    @AfterEach
    void close() throws Exception {
        leader.close();
        follower.close();
        catchUp.close();
    }

    @Test
    void aFollowerFetchesTheSnapshotReplaysTheLogAfterItAndHoldsWhatTheLeaderHolds() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            leaderApplies(write(random.nextInt(4), random.nextInt((int) (CHUNK / 4096)) * 4096L, random));
        }
        long snapshot = leader.takeSnapshot();
        for (int i = 0; i < 20; i++) {
            leaderApplies(write(random.nextInt(5), random.nextInt((int) (CHUNK / 4096)) * 4096L, random));
        }
        leaderApplies(delete(0)); // after the snapshot: the replayed log deletes it on the follower too

        TermIndex installed = follower.notifyInstallSnapshotFromLeader(roleInfo(), TermIndex.valueOf(1, snapshot + 1))
                .get(30, TimeUnit.SECONDS);
        assertThat(installed.getIndex()).isEqualTo(snapshot);
        reloadAndReplayAfter(installed.getIndex());

        assertThat(pieceReads.get()).as("every file of the snapshot once (chunk 0 was deleted before the fetch)")
                .isEqualTo(4 * PIECES_PER_FILE);
        assertSameChunks();
        assertThat(catchUp.snapshotsFetched()).isEqualTo(1);
        assertThat(catchUp.bytesFetched()).isEqualTo(4 * FILE);
    }

    @Test
    void aFetchThatFailsHalfWayResumesWhereItStoppedAndFetchesNothingTwice() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 30; i++) {
            leaderApplies(write(random.nextInt(3), random.nextInt((int) (CHUNK / 4096)) * 4096L, random));
        }
        long snapshot = leader.takeSnapshot();
        int total = 3 * PIECES_PER_FILE;

        failAfter.set(1 + total / 2); // the manifest, then half the pieces
        assertThatThrownBy(() -> follower.notifyInstallSnapshotFromLeader(roleInfo(), TermIndex.valueOf(1, snapshot))
                .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("went away");
        assertThat(pieceReads.get()).isEqualTo(total / 2);

        failAfter.set(-1);
        TermIndex installed = follower.notifyInstallSnapshotFromLeader(roleInfo(), TermIndex.valueOf(1, snapshot))
                .get(30, TimeUnit.SECONDS);
        assertThat(pieceReads.get()).as("the second attempt fetched only what the first did not").isEqualTo(total);
        reloadAndReplayAfter(installed.getIndex());
        assertSameChunks();
    }

    @Test
    void aNewerSnapshotOfTheLeaderStartsTheFetchOver() throws Exception {
        Random random = new Random(13);
        for (int i = 0; i < 20; i++) {
            leaderApplies(write(random.nextInt(2), random.nextInt((int) (CHUNK / 4096)) * 4096L, random));
        }
        leader.takeSnapshot();
        failAfter.set(1 + PIECES_PER_FILE);
        assertThatThrownBy(() -> follower.notifyInstallSnapshotFromLeader(roleInfo(), TermIndex.valueOf(1, 1))
                .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        leaderApplies(write(1, 0, random));
        long newer = leader.takeSnapshot();
        failAfter.set(-1);
        pieceReads.set(0);
        TermIndex installed = follower.notifyInstallSnapshotFromLeader(roleInfo(), TermIndex.valueOf(1, newer))
                .get(30, TimeUnit.SECONDS);
        assertThat(installed.getIndex()).isEqualTo(newer);
        assertThat(pieceReads.get()).as("files fetched against the older index are not kept")
                .isEqualTo(2 * PIECES_PER_FILE);
        reloadAndReplayAfter(newer);
        assertSameChunks();
    }

    @Test
    void readsOutsideAChunkFileAndOfDeletedChunksAreRefused() throws Exception {
        leaderApplies(write(1, 0, new Random(1)));
        assertThat(leaderAnswers(ChunkRequest.snapshotRead(1, FILE - 10, 20)).error())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(leaderAnswers(ChunkRequest.snapshotRead(1, 0, ChunkRequest.MAX_READ + 1)).error())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(leaderAnswers(ChunkRequest.snapshotRead(9, 0, 4096)).error()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(leaderAnswers(ChunkRequest.snapshotList()).error()).as("no snapshot taken yet")
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(follower.notifyInstallSnapshotFromLeader(roleInfo(), TermIndex.valueOf(0, 0))
                .get(10, TimeUnit.SECONDS)).as("nothing to fetch: the leader's log is all a new replica needs")
                .isNull();
        assertThat(ChunkRequest.snapshotRead(1, 0, 1).fromClients()).isFalse();
        assertThat(ChunkRequest.snapshotList().fromClients()).isFalse();
    }

    private ChunkReply leaderAnswers(ChunkRequest request) throws Exception {
        return ChunkReply.decode(leader.query(Message.valueOf(ByteString.copyFrom(request.encodeHeader())))
                .get(10, TimeUnit.SECONDS).getContent().asReadOnlyByteBuffer());
    }

    /** What Ratis does once the fetch completes: pause, reload, then the leader sends the log after the index. */
    private void reloadAndReplayAfter(long index) throws Exception {
        follower.pause();
        follower.reinitialize();
        assertThat(follower.getLastAppliedTermIndex().getIndex()).isEqualTo(index);
        assertThat(Files.exists(tmp.resolve("follower.tmp").resolve("fetch"))).as("fetch folder removed").isFalse();
        for (int i = (int) index; i < log.size(); i++) {
            apply(follower, i + 1, log.get(i));
        }
    }

    private void assertSameChunks() {
        assertThat(follower.store().chunkIds()).isEqualTo(leader.store().chunkIds());
        for (long id : leader.store().chunkIds()) {
            for (long at = 0; at < CHUNK; at += ChunkRequest.MAX_READ) {
                assertThat(follower.store().read(id, at, ChunkRequest.MAX_READ))
                        .as("chunk %d at %d", id, at).isEqualTo(leader.store().read(id, at, ChunkRequest.MAX_READ));
            }
        }
    }

    private CopysetStateMachine stateMachine(String name, CatchUp catchUp) throws Exception {
        ChunkFilePool pool = ChunkFilePool.open(tmp.resolve(name + "-pool"), CHUNK, 2);
        CopysetStateMachine sm = new CopysetStateMachine(tmp.resolve(name), pool, CHUNK,
                new SpaceGuard(() -> Long.MAX_VALUE, pool, 0), CorruptReads.REFUSE, catchUp);
        RaftServer server = mock(RaftServer.class, RETURNS_DEEP_STUBS);
        when(server.getId()).thenReturn(RaftPeerId.valueOf(name));
        when(server.getDivision(GROUP).getInfo().isAlive()).thenReturn(true);
        sm.initialize(server, GROUP, null);
        return sm;
    }

    private static RoleInfoProto roleInfo() {
        RaftPeerProto leader = RaftPeerProto.newBuilder().setId(ByteString.copyFromUtf8("leader"))
                .setAddress("127.0.0.1:1").build();
        return RoleInfoProto.newBuilder().setRole(RaftPeerRole.FOLLOWER).setFollowerInfo(FollowerInfoProto.newBuilder()
                .setLeaderInfo(ServerRpcProto.newBuilder().setId(leader))).build();
    }

    private void leaderApplies(ByteBuffer request) throws Exception {
        log.add(request.duplicate());
        apply(leader, log.size(), request);
    }

    private static void apply(CopysetStateMachine sm, long index, ByteBuffer request) throws Exception {
        LogEntryProto entry = LogEntryProto.newBuilder().setTerm(1).setIndex(index).setStateMachineLogEntry(
                StateMachineLogEntryProto.newBuilder().setLogData(ByteString.copyFrom(request.duplicate()))).build();
        TransactionContext trx = TransactionContext.newBuilder().setStateMachine(sm)
                .setServerRole(RaftPeerRole.FOLLOWER).setLogEntry(entry).build();
        ChunkReply reply = ChunkReply.decode(sm.applyTransaction(trx).get(10, TimeUnit.SECONDS)
                .getContent().asReadOnlyByteBuffer());
        assertThat(reply.ok()).as(reply.detail()).isTrue();
    }

    private static ByteBuffer write(long chunkId, long offset, Random random) {
        byte[] page = new byte[4096];
        random.nextBytes(page);
        ChunkRequest r = ChunkRequest.write(1, 0, chunkId, offset, ByteBuffer.wrap(page));
        ByteBuffer b = ByteBuffer.allocate(ChunkRequest.HEADER + page.length);
        b.put(r.encodeHeader()).put(r.data());
        return b.flip();
    }

    private static ByteBuffer delete(long chunkId) {
        return ChunkRequest.delete(1, 0, chunkId).encodeHeader();
    }
}
