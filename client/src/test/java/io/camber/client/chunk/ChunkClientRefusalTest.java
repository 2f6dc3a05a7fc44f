package io.camber.client.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.NoSpaceException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.apache.ratis.client.impl.ClientProtoUtils;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.Test;

/**
 * A copyset refuses a write in startTransaction; the refusal crosses the wire the way Ratis carries it (class
 * name and message, rebuilt on the client) and must reach the caller with its code.
 */
class ChunkClientRefusalTest {
    private static final RaftGroupMemberId LEADER = RaftGroupMemberId.valueOf(RaftPeerId.valueOf("cs1"),
            RaftGroupId.randomId());

    @Test
    void noSpaceRefusalReachesTheCallerAsNoSpace() {
        Throwable failure = new CompletionException(overTheWire(new NoSpaceException("disk /d1 is full: free space")));

        assertThatThrownBy(() -> ChunkClient.refused(failure)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(CamberException.class).hasMessage("disk /d1 is full: free space")
                .satisfies(e -> assertThat(((CamberException) e).code()).isEqualTo(ErrorCode.NO_SPACE));
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        CompletionException other = new CompletionException(overTheWire(new IOException("request too large")));
        assertThatThrownBy(() -> ChunkClient.refused(other)).isSameAs(other);

        CompletionException fenced = new CompletionException(new CamberException(ErrorCode.FENCED, "newer writer"));
        assertThatThrownBy(() -> ChunkClient.refused(fenced)).isSameAs(fenced);
    }

    /** What the client receives when the leader fails a request in startTransaction with {@code cause}. */
    private static StateMachineException overTheWire(Exception cause) {
        RaftClientReply sent = RaftClientReply.newBuilder().setClientId(ClientId.randomId()).setServerId(LEADER)
                .setCallId(7).setException(new StateMachineException(LEADER, cause)).build();
        RaftClientReply received = ClientProtoUtils.toRaftClientReply(ClientProtoUtils.toRaftClientReplyProto(sent));
        assertThat(received.isSuccess()).isFalse();
        return received.getStateMachineException();
    }
}
