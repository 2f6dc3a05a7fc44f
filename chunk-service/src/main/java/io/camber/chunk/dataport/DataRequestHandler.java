package io.camber.chunk.dataport;

import io.camber.common.chunk.DataFrame;
import io.camber.common.chunk.DataFrame.Kind;
import io.camber.common.chunk.DataFrame.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camber.common.chunk.ChunkRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Hands each data request to the copyset's Raft server in this process, as if a Ratis client had sent it: writes
 * are replicated (and a retry with the same client and call id is answered from Ratis' retry cache, so it is
 * applied once); reads are linearizable reads, which the leader answers from its state machine once its lease
 * (or a heartbeat round) shows it still leads and it has applied everything committed before the read arrived.
 */
@ChannelHandler.Sharable
public final class DataRequestHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger LOG = LoggerFactory.getLogger(DataRequestHandler.class);

    private static final AttributeKey<TokenGate.Grants> GRANTS = AttributeKey.valueOf("camber.data.grants");
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Supplier<RaftServer> server;
    private final TokenGate gate;
    private final LongAdder[][] answered = new LongAdder[Kind.values().length][Status.values().length];

    /** server: the chunk server's Raft server, or null while it is still starting; no token checks. */
    public DataRequestHandler(Supplier<RaftServer> server) {
        this(server, TokenGate.open());
    }

    /** server as above; gate decides which requests need which token. */
    public DataRequestHandler(Supplier<RaftServer> server, TokenGate gate) {
        this.server = server;
        this.gate = gate;
        for (LongAdder[] row : answered) {
            for (int i = 0; i < row.length; i++) {
                row[i] = new LongAdder();
            }
        }
    }

    /** Requests answered since start, by kind and status. */
    public long answered(Kind kind, Status status) {
        return answered[kind.ordinal()][status.ordinal()].sum();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        // One copy into the heap: a write's payload stays referenced by Raft's log cache long after this frame's
        // buffer is released (gRPC copies it the same way when it parses a request).
        byte[] bytes = ByteBufUtil.getBytes(frame);
        DataFrame.Request request;
        try {
            request = DataFrame.decodeRequest(ByteBuffer.wrap(bytes));
        } catch (IllegalArgumentException e) {
            LOG.warn("event=data_request_malformed remote={} error={}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        // Frames of one connection are read one after another on its event loop: a TOKEN is in the grants before
        // the next request of that connection is checked, and a plain map suffices.
        TokenGate.Grants grants = ctx.channel().attr(GRANTS).get();
        if (grants == null) {
            grants = new TokenGate.Grants();
            ctx.channel().attr(GRANTS).set(grants);
        }
        TokenGate.Refusal refused = request.kind() == Kind.TOKEN
                ? gate.present(bytesOf(request.body()), grants)
                : internalOnly(request.body());
        if (refused == null && request.kind() != Kind.TOKEN) {
            refused = gate.check(request.body(), grants);
        }
        if (refused != null || request.kind() == Kind.TOKEN) {
            DataReplies.Outcome o = refused == null ? new DataReplies.Outcome(Status.OK, EMPTY)
                    : new DataReplies.Outcome(refused.status(), DataFrame.messageBody(refused.message()));
            if (refused != null && refused.status() == Status.DENIED) {
                LOG.info("event=data_request_denied remote={} kind={} reason=\"{}\"", ctx.channel().remoteAddress(),
                        request.kind(), refused.message());
            }
            answered[request.kind().ordinal()][o.status().ordinal()].increment();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(DataFrame.replyHeader(request.tag(), o.status()), o.body()));
            return;
        }
        submit(request).whenComplete((outcome, e) -> {
            DataReplies.Outcome o = e != null ? DataReplies.of(e) : outcome;
            answered[request.kind().ordinal()][o.status().ordinal()].increment();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(DataFrame.replyHeader(request.tag(), o.status()), o.body()));
        });
    }

    /** SCRUB and REPAIR come from a copyset's own leader over Raft, never from a client of this port. */
    private static TokenGate.Refusal internalOnly(ByteBuffer body) {
        try {
            if (!ChunkRequest.decode(body).fromClients()) {
                return new TokenGate.Refusal(Status.FAILED, "SCRUB and REPAIR are internal to a copyset, not"
                        + " accepted from clients");
            }
        } catch (io.camber.common.CamberException e) {
            // Malformed: answered below like any other bad request.
        }
        return null;
    }

    private static byte[] bytesOf(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private CompletableFuture<DataReplies.Outcome> submit(DataFrame.Request r) {
        RaftServer raft = server.get();
        if (raft == null) {
            return CompletableFuture.completedFuture(DataReplies.Outcome.retry("chunk server is starting"));
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(ClientId.valueOf(r.client()))
                .setServerId(raft.getId())
                .setGroupId(RaftGroupId.valueOf(r.group()))
                .setCallId(r.callId())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(r.body())))
                .setType(r.kind() == Kind.WRITE ? RaftClientRequest.writeRequestType()
                        : RaftClientRequest.readRequestType())
                .build();
        try {
            // Straight to the copyset's division, not through RaftServer.submitClientRequestAsync: Ratis 3.3 hands
            // that to the division's client executor and blocks the calling thread (this event loop) until it ran;
            // a request racing the removal of a replaced replica (its executor shut down) never ran, and the event
            // loop, with every connection on it, stood still for good (seen in CopysetBalanceIT). The division
            // itself answers at once, with an error once it is closing.
            RaftServer.Division division = raft.getDivision(request.getRaftGroupId());
            if (division instanceof RaftClientAsynchronousProtocol direct) {
                return direct.submitClientRequestAsync(request).thenApply(DataReplies::of);
            }
            return raft.submitClientRequestAsync(request).thenApply(DataReplies::of);
        } catch (Exception e) {
            return CompletableFuture.completedFuture(DataReplies.of(e));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("event=data_connection_failed remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
