package io.camber.client.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camber.common.CamberException;
import io.camber.common.ErrorCode;
import io.camber.common.api.CopysetInfo;
import io.camber.common.chunk.ChunkReply;
import io.camber.common.chunk.ChunkRequest;
import io.camber.common.chunk.DataFrame;
import io.camber.common.chunk.DataFrame.Kind;
import io.camber.common.chunk.DataFrame.Status;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's side of the data protocol against real sockets: chunk servers here answer from a script. */
class LeaderCallsTest {
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Channel> servers = new ArrayList<>();
    private final DataConnections connections = new DataConnections(1, Duration.ofSeconds(1));

    /** A chunk server's data port that answers each request with what the script says, and records it. */
    private final class ScriptedPort {
        final List<DataFrame.Request> seen = Collections.synchronizedList(new ArrayList<>());
        final String address;

        ScriptedPort(Function<DataFrame.Request, ByteBuffer[]> script) throws InterruptedException {
            @ChannelHandler.Sharable
            class Answer extends SimpleChannelInboundHandler<ByteBuf> {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                    DataFrame.Request r = DataFrame.decodeRequest(ByteBuffer.wrap(ByteBufUtil.getBytes(frame)));
                    seen.add(r);
                    ByteBuffer[] reply = script.apply(r);
                    if (reply != null) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
                    }
                }
            }
            Answer answer = new Answer();
            Channel ch = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new LengthFieldBasedFrameDecoder(DataFrame.MAX_FRAME, 0, 4, 0, 4))
                                    .addLast(new LengthFieldPrepender(4)).addLast(answer);
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            servers.add(ch);
            address = "127.0.0.1:" + ((InetSocketAddress) ch.localAddress()).getPort();
        }
    }

    private static ByteBuffer[] ok(DataFrame.Request r, long value) {
        return new ByteBuffer[] {DataFrame.replyHeader(r.tag(), Status.OK), ChunkReply.ok(value, null).encode()};
    }

    private static ByteBuffer[] notLeader(DataFrame.Request r, long leader) {
        return new ByteBuffer[] {DataFrame.replyHeader(r.tag(), Status.NOT_LEADER), DataFrame.leaderBody(leader)};
    }

    private static ByteBuffer[] status(DataFrame.Request r, Status s, String message) {
        return new ByteBuffer[] {DataFrame.replyHeader(r.tag(), s), DataFrame.messageBody(message)};
    }

    private static CopysetInfo copyset(String... dataAddresses) {
        return new CopysetInfo(1, 5, List.of(11L, 12L, 13L), List.of("x:1", "x:2", "x:3"), List.of(dataAddresses),
                4L << 20);
    }

    private static ByteBuffer readRequest() {
        return ChunkRequest.read(1, 0, 4096).encodeHeader();
    }

    @Test
    void aFollowerPointsTheClientAtTheLeaderWhichItThenRemembers() throws Exception {
        ScriptedPort follower = new ScriptedPort(r -> notLeader(r, 13));
        ScriptedPort other = new ScriptedPort(r -> notLeader(r, 13));
        ScriptedPort leader = new ScriptedPort(r -> ok(r, 4096));
        LeaderCalls calls = new LeaderCalls(connections, Duration.ofSeconds(1), Duration.ofSeconds(5));
        CopysetInfo c = copyset(follower.address, other.address, leader.address);

        assertThat(calls.call(c, Kind.READ, readRequest()).join().value()).isEqualTo(4096);
        assertThat(calls.call(c, Kind.READ, readRequest()).join().value()).isEqualTo(4096);

        assertThat(follower.seen).hasSize(1);
        assertThat(other.seen).isEmpty();
        assertThat(leader.seen).hasSize(2);
        assertThat(leader.seen.get(0).group()).isEqualTo(leader.seen.get(1).group());
        assertThat(leader.seen.get(0).callId()).as("each request its own call id")
                .isNotEqualTo(leader.seen.get(1).callId());
    }

    /**
     * The copyset's members changed after the caller looked it up: the old members point at a leader the caller has
     * never heard of, so the client looks the copysets up again and reaches it, also for callers that still pass the
     * old description; a lookup that answers an older description changes nothing.
     */
    @Test
    void aLeaderOutsideTheKnownMembersIsFoundThroughTheDirectory() throws Exception {
        ScriptedPort a = new ScriptedPort(r -> notLeader(r, 14));
        ScriptedPort b = new ScriptedPort(r -> notLeader(r, 14));
        ScriptedPort dead = new ScriptedPort(r -> status(r, Status.RETRY, "stopping"));
        ScriptedPort newLeader = new ScriptedPort(r -> ok(r, 7));
        CopysetInfo old = copyset(a.address, b.address, dead.address);
        CopysetInfo changed = new CopysetInfo(1, 5, List.of(11L, 12L, 14L), List.of("x:1", "x:2", "x:4"),
                List.of(a.address, b.address, newLeader.address), 4L << 20, 1);
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        LeaderCalls calls = new LeaderCalls(connections, Duration.ofSeconds(1), Duration.ofSeconds(5));
        calls.useDirectory(() -> {
            lookups.incrementAndGet();
            return java.util.concurrent.CompletableFuture.completedFuture(List.of(changed));
        });

        assertThat(calls.call(old, Kind.READ, readRequest()).join().value()).isEqualTo(7);
        assertThat(calls.call(old, Kind.READ, readRequest()).join().value()).isEqualTo(7);
        assertThat(newLeader.seen).hasSize(2);
        assertThat(lookups.get()).isEqualTo(1);
        assertThat(dead.seen).as("the replaced member is not asked once the new members are known").isEmpty();
    }

    /** A follower's stale hint names a member that cannot serve: the client must still reach the third one. */
    @Test
    void aStaleHintAtADeadMemberDoesNotKeepTheClientFromTheLeader() throws Exception {
        ScriptedPort retired = new ScriptedPort(r -> status(r, Status.RETRY, "group not found"));
        ScriptedPort follower = new ScriptedPort(r -> notLeader(r, 11));
        ScriptedPort leader = new ScriptedPort(r -> ok(r, 7));
        LeaderCalls calls = new LeaderCalls(connections, Duration.ofSeconds(1), Duration.ofSeconds(5));
        CopysetInfo c = copyset(retired.address, follower.address, leader.address);

        assertThat(calls.call(c, Kind.READ, readRequest()).join().value()).isEqualTo(7);
        assertThat(leader.seen).hasSize(1);
    }

    @Test
    void aRetriedWriteKeepsItsCallIdSoTheCopysetAppliesItOnce() throws Exception {
        ScriptedPort dead = new ScriptedPort(r -> null); // accepts, never answers: times out
        ScriptedPort starting = new ScriptedPort(r -> status(r, Status.RETRY, "leader not ready"));
        ScriptedPort leader = new ScriptedPort(r -> ok(r, 1));
        LeaderCalls calls = new LeaderCalls(connections, Duration.ofMillis(300), Duration.ofSeconds(5));
        ByteBuffer write = ChunkRequest.write(1, 1, 9, 0, ByteBuffer.allocate(4096)).encodeHeader();

        assertThat(calls.call(copyset(dead.address, starting.address, leader.address), Kind.WRITE, write,
                ByteBuffer.allocate(4096)).join().ok()).isTrue();

        List<DataFrame.Request> all = new ArrayList<>(dead.seen);
        all.addAll(starting.seen);
        all.addAll(leader.seen);
        assertThat(all).hasSize(3).extracting(DataFrame.Request::callId).containsOnly(all.get(0).callId());
        assertThat(all).extracting(DataFrame.Request::client).containsOnly(all.get(0).client());
        assertThat(leader.seen.get(0).body().remaining()).as("header and payload, whole")
                .isEqualTo(ChunkRequest.HEADER + 4096);
    }

    @Test
    void aCopysetWithoutAnyAnsweringMemberFailsAsUnavailableAfterTheDeadline() throws Exception {
        String refused;
        try (ServerSocket s = new ServerSocket(0)) {
            refused = "127.0.0.1:" + s.getLocalPort(); // closed again: connections are refused
        }
        ScriptedPort electing = new ScriptedPort(r -> notLeader(r, -1));
        // a 2 s deadline leaves room for several rounds over the members even on a loaded machine
        LeaderCalls calls = new LeaderCalls(connections, Duration.ofMillis(300), Duration.ofMillis(2000));
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> calls.call(copyset(refused, electing.address, refused), Kind.READ, readRequest())
                .join()).isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(CamberException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                            assertThat(e.getMessage()).contains("copyset 1/5", "majority");
                        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(electing.seen).as("tried again and again until the deadline").hasSizeGreaterThan(1);
    }

    @Test
    void aRequestTheServerCanNeverServeFailsAtOnce() throws Exception {
        ScriptedPort leader = new ScriptedPort(r -> status(r, Status.FAILED, "chunk request exceeds 1 MiB"));
        LeaderCalls calls = new LeaderCalls(connections, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThatThrownBy(() -> calls.call(copyset(leader.address, leader.address, leader.address), Kind.WRITE,
                readRequest()).join()).cause().isInstanceOfSatisfying(CamberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("exceeds 1 MiB");
                });
        assertThat(leader.seen).hasSize(1);
    }

    @Test
    void aCopysetWhoseServersHaveNoDataPortIsUnavailable() {
        LeaderCalls calls = new LeaderCalls(connections, Duration.ofSeconds(1), Duration.ofSeconds(1));
        CopysetInfo old = new CopysetInfo(1, 5, List.of(11L, 12L, 13L), List.of("x:1", "x:2", "x:3"), null, 1);
        assertThatThrownBy(() -> calls.call(old, Kind.READ, readRequest()).join()).cause()
                .hasMessageContaining("data port");
    }

    @AfterEach
    void stop() {
        connections.close();
        servers.forEach(Channel::close);
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
