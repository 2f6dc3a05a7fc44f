package io.camber.client.chunk;

import io.camber.common.chunk.DataFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/** The client's connections to chunk servers' data ports: one per address, opened on first use and after a loss. */
final class DataConnections implements AutoCloseable {
    private final EventLoopGroup loops;
    private final Bootstrap bootstrap;
    private final Map<String, CompletableFuture<DataConnection>> open = new ConcurrentHashMap<>();

    DataConnections(int threads, Duration connectTimeout) {
        this.loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("camber-data", true),
                NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
    }

    /** Sends one request to address; see {@link DataConnection#send}. */
    CompletableFuture<DataFrame.Reply> send(String address, java.util.List<byte[]> tokens,
                                            LongFunction<ByteBuffer> header, ByteBuffer[] body, Duration timeout) {
        return connection(address).thenCompose(c -> c.send(tokens, header, body, timeout));
    }

    /** Runs a task after a delay on one of the connection threads (never blocks a caller for a retry). */
    void schedule(Runnable task, Duration delay) {
        loops.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    Executor executor() {
        return loops;
    }

    private CompletableFuture<DataConnection> connection(String address) {
        CompletableFuture<DataConnection> current = open.get(address);
        if (current != null && !(current.isDone() && (current.isCompletedExceptionally() || !current.join().usable()))) {
            return current;
        }
        CompletableFuture<DataConnection> fresh = new CompletableFuture<>();
        boolean ours = current == null ? open.putIfAbsent(address, fresh) == null : open.replace(address, current, fresh);
        if (!ours) {
            return connection(address);
        }
        DataConnection conn = new DataConnection(address);
        ChannelFuture connect;
        try {
            connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                            .addLast(new LengthFieldBasedFrameDecoder(DataFrame.MAX_FRAME, 0, 4, 0, 4))
                            .addLast(new LengthFieldPrepender(4))
                            .addLast(conn);
                }
            }).connect(toSocketAddress(address));
        } catch (RuntimeException e) {
            fresh.completeExceptionally(e);
            return fresh;
        }
        connect.addListener(done -> {
            if (done.isSuccess()) {
                conn.attach(connect.channel());
                fresh.complete(conn);
            } else {
                fresh.completeExceptionally(new IOException("cannot connect to chunk server data port " + address
                        + ": " + done.cause().getMessage(), done.cause()));
            }
        });
        return fresh;
    }

    private static InetSocketAddress toSocketAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("data address '" + address + "' is not host:port");
        }
        return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    @Override
    public void close() {
        open.values().forEach(f -> f.thenAccept(DataConnection::close));
        open.clear();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
