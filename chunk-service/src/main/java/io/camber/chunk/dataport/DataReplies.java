package io.camber.chunk.dataport;

import io.camber.chunk.copyset.CopysetPeers;
import io.camber.common.CamberException;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.DataFrame.Status;
import io.camber.common.chunk.DataFrame;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;

/** Turns what the Raft server answered into the status and body of a data reply. */
final class DataReplies {
    private DataReplies() {
    }

    /** A reply's status and body. */
    record Outcome(Status status, ByteBuffer body) {
        static Outcome retry(String why) {
            return new Outcome(Status.RETRY, DataFrame.messageBody(why));
        }
    }

    static Outcome of(RaftClientReply reply) {
        if (reply.isSuccess()) {
            return new Outcome(Status.OK, reply.getMessage().getContent().asReadOnlyByteBuffer());
        }
        NotLeaderException notLeader = reply.getNotLeaderException();
        if (notLeader != null) {
            return notLeader(notLeader);
        }
        StateMachineException refused = reply.getStateMachineException();
        if (refused != null) {
            return refusal(refused);
        }
        // No leader ready, lease or read index lost, leadership moving, group closing: all transient.
        RaftException e = reply.getException();
        return Outcome.retry(e == null ? "copyset did not answer" : e.toString());
    }

    /** A failure of the call itself (the group is not hosted here, the server is closing): try again elsewhere. */
    static Outcome of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof NotLeaderException nle) {
            return notLeader(nle);
        }
        if (cause instanceof StateMachineException sme) {
            return refusal(sme);
        }
        return Outcome.retry(cause.toString());
    }

    private static Outcome notLeader(NotLeaderException e) {
        RaftPeer leader = e.getSuggestedLeader();
        long hint = leader == null ? -1 : CopysetPeers.chunkServerId(leader.getId().toString());
        return new Outcome(Status.NOT_LEADER, DataFrame.leaderBody(hint));
    }

    /**
     * The state machine refused the request before it entered the log (NO_SPACE, oversized): the refusal goes back
     * as the copyset's own answer with its error code, like any failure applying it would.
     */
    private static Outcome refusal(StateMachineException e) {
        if (e.getCause() instanceof CamberException ce) {
            return new Outcome(Status.OK, ChunkReply.failure(ce).encode());
        }
        Throwable why = e.getCause() == null ? e : e.getCause();
        return new Outcome(Status.FAILED, DataFrame.messageBody(why.getMessage()));
    }
}
