package io.jackdaw.net;

import io.jackdaw.command.Dispatcher;
import io.jackdaw.command.ServerContext;
import io.jackdaw.common.Log;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Netty server: epoll where the native transport loads, NIO otherwise. {@code io-threads}
 * event loops accept and serve connections; each connection stays on its loop.
 */
public final class NetworkServer {
    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final NetLimits limits;
    private EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private boolean epoll;

    public NetworkServer(ServerContext server, Dispatcher dispatcher, NetLimits limits) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    public boolean isEpoll() { return epoll; }

    /**
     * Binds every address (Redis's "bind" list; a leading '-' marks one that may be missing).
     *
     * @return the port actually bound (useful with port 0 in tests)
     */
    public int start(List<String> bindAddresses, int port, int ioThreads, int tcpKeepAlive, int backlog)
            throws InterruptedException {
        epoll = Epoll.isAvailable() && !Boolean.getBoolean("jackdaw.nio");
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(ioThreads, threads("jackdaw-io"), io);
        Class<? extends ServerSocketChannel> channelClass =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(server, dispatcher, limits));
                    }
                });
        if (tcpKeepAlive > 0) {
            b.childOption(ChannelOption.SO_KEEPALIVE, true);
            if (epoll) {
                // As Redis does: first probe after the interval, then every third of it, three tries.
                b.childOption(EpollChannelOption.TCP_KEEPIDLE, tcpKeepAlive);
                b.childOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, tcpKeepAlive / 3));
                b.childOption(EpollChannelOption.TCP_KEEPCNT, 3);
            }
        }
        int bound = port;
        for (String addr : bindAddresses) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            if (host.equals("*")) host = "0.0.0.0";
            else if (host.equals("::*")) host = "::";
            try {
                Channel ch = b.bind(new InetSocketAddress(host, bound)).sync().channel();
                listeners.add(ch);
                bound = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (optional) {
                    // Redis skips a '-' address that does not exist here (no IPv6, or already covered).
                    Log.verbose("Skipping optional bind address " + host + ":" + port + ": " + e);
                    continue;
                }
                stop();
                throw new IllegalStateException("Could not create server TCP listening socket " + host + ":" + port
                        + ": " + e.getMessage(), e);
            }
        }
        if (listeners.isEmpty()) {
            stop();
            throw new IllegalStateException("Failed listening on port " + port + " (tcp), aborting.");
        }
        return bound;
    }

    /** Stops accepting, closes every connection and the event loops. */
    public void stop() {
        for (Channel ch : listeners) ch.close().awaitUninterruptibly();
        listeners.clear();
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        };
    }
}
