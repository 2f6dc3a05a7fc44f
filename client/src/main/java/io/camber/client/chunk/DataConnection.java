package io.camber.client.chunk;

import io.camber.common.chunk.DataFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection to a chunk server's data port. Requests are pipelined: each carries a tag and its reply
 * completes the future waiting under that tag, in whatever order replies come. A lost connection fails every
 * request still waiting on it; the caller retries them (on this server or another).
 */
final class DataConnection extends SimpleChannelInboundHandler<ByteBuf> {
    private final Map<Long, CompletableFuture<DataFrame.Reply>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong tags = new AtomicLong();
    private final String address;
    private volatile Channel channel;
    /** Tokens presented on this connection (the server remembers them for the connection), by identity. */
    private final java.util.Set<byte[]> presented = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    DataConnection(String address) {
        this.address = address;
    }

    void attach(Channel ch) {
        this.channel = ch;
    }

    boolean usable() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /**
     * Sends a request whose header {@code header} builds from the tag, followed by body (not copied; it must
     * stay unchanged until the reply); fails with TimeoutException if no reply comes within timeout.
     */
    CompletableFuture<DataFrame.Reply> send(java.util.function.LongFunction<ByteBuffer> header, ByteBuffer[] body,
                                            Duration timeout) {
        return send(java.util.List.of(), header, body, timeout);
    }

    /**
     * As above, first presenting each of tokens this connection has not presented yet (a TOKEN frame, whose reply
     * nobody waits for: a refused token shows as the request's DENIED). Token and request are written under one
     * lock, so no request of another thread can overtake the token it relies on.
     */
    CompletableFuture<DataFrame.Reply> send(java.util.List<byte[]> tokens, java.util.function.LongFunction<ByteBuffer> header,
                                            ByteBuffer[] body, Duration timeout) {
        if (tokens.isEmpty()) {
            return sendRequest(header, body, timeout);
        }
        synchronized (presented) {
            Channel ch = channel;
            if (presented.size() > 1024) {
                presented.clear(); // renewals add a token every few seconds; presenting one again costs little
            }
            for (byte[] token : tokens) {
                if (ch != null && presented.add(token)) {
                    ch.write(Unpooled.wrappedBuffer(DataFrame.requestHeader(tags.incrementAndGet(),
                            DataFrame.Kind.TOKEN, ZERO, ZERO, 0), ByteBuffer.wrap(token)));
                }
            }
            return sendRequest(header, body, timeout);
        }
    }

    private static final java.util.UUID ZERO = new java.util.UUID(0, 0);

    private CompletableFuture<DataFrame.Reply> sendRequest(java.util.function.LongFunction<ByteBuffer> header,
                                                           ByteBuffer[] body, Duration timeout) {
        long tag = tags.incrementAndGet();
        CompletableFuture<DataFrame.Reply> reply = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return CompletableFuture.failedFuture(new IOException("connection to " + address + " is closed"));
        }
        waiting.put(tag, reply);
        ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> {
            CompletableFuture<DataFrame.Reply> late = waiting.remove(tag);
            if (late != null) {
                late.completeExceptionally(new TimeoutException("no reply from " + address + " within " + timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        reply.whenComplete((r, e) -> timer.cancel(false));
        ByteBuffer[] parts = new ByteBuffer[body.length + 1];
        parts[0] = header.apply(tag);
        for (int i = 0; i < body.length; i++) {
            parts[i + 1] = body[i].duplicate();
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(parts)).addListener(done -> {
            if (!done.isSuccess()) {
                fail(tag, new IOException("cannot send to " + address + ": " + done.cause(), done.cause()));
            }
        });
        // The channel may have closed between the check and the put: nothing would answer then.
        if (!ch.isActive()) {
            fail(tag, new IOException("connection to " + address + " closed"));
        }
        return reply;
    }

    private void fail(long tag, Throwable why) {
        CompletableFuture<DataFrame.Reply> r = waiting.remove(tag);
        if (r != null) {
            r.completeExceptionally(why);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        // Copied to the heap once: a read's bytes go up to the caller, who keeps them after this frame is released.
        DataFrame.Reply reply = DataFrame.decodeReply(ByteBuffer.wrap(ByteBufUtil.getBytes(frame)));
        CompletableFuture<DataFrame.Reply> r = waiting.remove(reply.tag());
        if (r != null) {
            r.complete(reply);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException lost = new IOException("connection to " + address + " lost");
        waiting.keySet().forEach(tag -> fail(tag, lost));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }
}
