package io.camber.chunk.dataport;

import io.camber.common.chunk.DataFrame;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * The chunk server's data port: a length-prefixed binary protocol on Netty, one connection per client, many
 * requests in flight on it. It replaces a Ratis client hop (protobuf, gRPC, HTTP/2 and their thread hand-offs),
 * which cost most of the CPU of a 4 KiB read.
 */
public final class DataPortServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPortServer.class);

    private final EventLoopGroup loops;
    private final Channel channel;

    /** Binds host:port (0 picks a free port) and serves requests through the handler's copysets. */
    public DataPortServer(String host, int port, DataRequestHandler handler, int threads) throws InterruptedException {
        this.loops = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            this.channel = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new LengthFieldBasedFrameDecoder(DataFrame.MAX_FRAME, 0, 4, 0, 4))
                                    .addLast(new LengthFieldPrepender(4))
                                    .addLast(handler);
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            loops.shutdownGracefully();
            throw e;
        }
        LOG.info("event=data_port_started address={}", channel.localAddress());
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
