package io.camber.chunk.dataport;

import static org.assertj.core.api.Assertions.assertThat;

import io.camber.common.NoSpaceException;
import io.camber.common.ErrorCode;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.DataFrame;
import io.camber.common.chunk.DataFrame.Status;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;

class DataRepliesTest {
    private static final RaftGroupId GROUP = RaftGroupId.randomId();
    private static final RaftGroupMemberId SELF = RaftGroupMemberId.valueOf(RaftPeerId.valueOf("cs1"), GROUP);

    @Test
    void aSuccessCarriesTheCopysetsAnswer() {
        ChunkReply answer = ChunkReply.ok(4096, null);
        RaftClientReply reply = builder().setSuccess()
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(answer.encode()))).build();
        DataReplies.Outcome o = DataReplies.of(reply);
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(ChunkReply.decode(o.body()).value()).isEqualTo(4096);
    }

    @Test
    void notLeaderNamesTheLeadersChunkServerWhenRaftKnowsIt() {
        RaftPeer leader = RaftPeer.newBuilder().setId("cs3").setAddress("127.0.0.1:1").build();
        assertThat(hint(DataReplies.of(failed(new NotLeaderException(SELF, leader, List.of(leader)))))).isEqualTo(3);
        assertThat(hint(DataReplies.of(failed(new NotLeaderException(SELF, null, List.of()))))).isEqualTo(-1);
        assertThat(hint(DataReplies.of(new CompletionException(new NotLeaderException(SELF, leader, List.of())))))
                .as("thrown instead of answered").isEqualTo(3);
    }

    @Test
    void aRefusalBeforeTheLogKeepsItsErrorCode() {
        DataReplies.Outcome o = DataReplies.of(failed(new StateMachineException(SELF,
                new NoSpaceException("disk /d1 is full"))));
        assertThat(o.status()).isEqualTo(Status.OK);
        ChunkReply refusal = ChunkReply.decode(o.body());
        assertThat(refusal.error()).isEqualTo(ErrorCode.NO_SPACE);
        assertThat(refusal.detail()).contains("disk /d1 is full");

        DataReplies.Outcome oversized = DataReplies.of(failed(new StateMachineException(SELF,
                new IOException("chunk request of 3000000 bytes exceeds 1064960"))));
        assertThat(oversized.status()).isEqualTo(Status.FAILED);
        assertThat(DataFrame.decodeReply(frame(oversized)).message()).contains("exceeds");
    }

    @Test
    void everythingElseIsWorthARetry() {
        assertThat(DataReplies.of(failed(new LeaderNotReadyException(SELF))).status()).isEqualTo(Status.RETRY);
        assertThat(DataReplies.of(new IOException("group not found")).status()).isEqualTo(Status.RETRY);
    }

    private static RaftClientReply.Builder builder() {
        return RaftClientReply.newBuilder().setClientId(ClientId.randomId()).setServerId(SELF).setCallId(1);
    }

    private static RaftClientReply failed(RaftException e) {
        return builder().setException(e).build();
    }

    private static long hint(DataReplies.Outcome o) {
        assertThat(o.status()).isEqualTo(Status.NOT_LEADER);
        return DataFrame.decodeReply(frame(o)).leaderHint();
    }

    private static java.nio.ByteBuffer frame(DataReplies.Outcome o) {
        java.nio.ByteBuffer header = DataFrame.replyHeader(1, o.status());
        return java.nio.ByteBuffer.allocate(header.remaining() + o.body().remaining()).put(header)
                .put(o.body().duplicate()).flip();
    }
}
