package io.jackdaw.net;

import io.jackdaw.command.Call;
import io.jackdaw.command.ClientSession;
import io.jackdaw.command.CommandArgs;
import io.jackdaw.command.Dispatcher;
import io.jackdaw.command.Errors;
import io.jackdaw.command.ServerContext;
import io.jackdaw.common.Log;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One client connection. Requests are parsed and executed on this channel's event loop, in
 * order; replies collect in one buffer that is written once per read batch.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ClientSession.Channel {
    /** Past this many reply bytes in one batch, hand them to the socket without waiting for the batch to end. */
    private static final int WRITE_THRESHOLD = 64 * 1024;

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final NetLimits limits;
    private final RespDecoder decoder = new RespDecoder();
    private final CommandArgs args = new CommandArgs();
    private ChannelHandlerContext ctx;
    private RespWriter writer;
    private ClientSession session;
    private Call call;
    private ByteBuf pending; // bytes of an unfinished header/inline line carried to the next read
    private boolean closing;
    private boolean executing;

    Connection(ServerContext server, Dispatcher dispatcher, NetLimits limits) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    @Override public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        server.stats().connectionsReceived.increment();
        writer = new RespWriter(ctx.alloc(), server.stats());
        session = new ClientSession(server.clients().nextId(), address(ctx.channel().remoteAddress()),
                address(ctx.channel().localAddress()), limits.fdOf(ctx.channel()), server.clock().millis(), this);
        session.authenticated = dispatcher.requirePass() == null;
        call = new Call(server, session, args, writer);
        if (!server.clients().addIfBelow(session, limits.maxClients())) {
            server.stats().rejectedConnections.increment();
            writer.error(Errors.MAX_CLIENTS);
            flushAndClose();
            return;
        }
        ctx.fireChannelActive();
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
            int zone = host.indexOf('%');
            if (zone >= 0) host = host.substring(0, zone);
            // Redis writes IPv6 peers as [ip]:port.
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + i.getPort() : host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        int bytes = in.readableBytes();
        server.stats().netInputBytes.add(bytes);
        server.stats().ioReadsProcessed.increment();
        session.netInput += bytes;
        if (closing) {
            in.release();
            return;
        }
        ByteBuf buf = in;
        if (pending != null) {
            pending.writeBytes(in);
            in.release();
            buf = pending;
            pending = null;
        }
        if (session.isBlocked()) { // a blocked client's requests wait, within the query buffer limit
            pending = buf;
            session.queryBufferBytes = buf.readableBytes();
            if (buf.readableBytes() > limits.queryBufferLimit()) {
                Log.warning("Closing client that reached max query buffer length: id=" + session.id
                        + " addr=" + session.addr + " qbuf=" + buf.readableBytes());
                server.stats().clientQueryBufferLimitDisconnections.increment();
                closeNow();
            }
            return;
        }
        processAndKeepRest(buf);
    }

    /** Runs the requests in {@code buf}, keeping what is left (an unfinished line, or requests behind a block). */
    private void processAndKeepRest(ByteBuf buf) {
        try {
            process(buf);
        } finally {
            if (buf.isReadable() && !closing) {
                // Keep only the unfinished line; bulk payloads were already copied into the arguments.
                pending = ctx.alloc().buffer(Math.max(256, buf.readableBytes()));
                pending.writeBytes(buf);
            }
            buf.release();
        }
    }

    private void process(ByteBuf buf) {
        while (!closing && !session.isBlocked()) {
            decoder.unauthenticated = !session.authenticated && dispatcher.requirePass() != null;
            decoder.protoMaxBulkLen = limits.protoMaxBulkLen();
            int r = decoder.decode(buf, args);
            if (r == RespDecoder.NEED_MORE) {
                long held = (long) buf.readableBytes() + (decoder.midRequest() ? args.data().length : 0);
                session.queryBufferBytes = held;
                if (held > limits.queryBufferLimit()) {
                    Log.warning("Closing client that reached max query buffer length: id=" + session.id
                            + " addr=" + session.addr + " qbuf=" + held);
                    server.stats().clientQueryBufferLimitDisconnections.increment();
                    closeNow();
                }
                return;
            }
            if (r == RespDecoder.ERROR) {
                Log.verbose("Protocol error (" + decoder.error() + ") from client: id=" + session.id + " addr=" + session.addr);
                writer.error(decoder.error());
                flushAndClose();
                return;
            }
            execute();
            if (writer.writerIndex() > WRITE_THRESHOLD) send(false);
            if (session.closeAfterReply) {
                flushAndClose();
                return;
            }
        }
    }

    private void execute() {
        if (!pushes.isEmpty()) takePushes();
        session.lastInteractionMs = server.clock().millis();
        ClientSession.ReplyMode before = session.replyMode;
        int mark = writer.writerIndex();
        writer.setProtocol(session.resp);
        session.argvMemory = args.totalBytes();
        executing = true;
        try {
            dispatcher.execute(call);
        } finally {
            executing = false;
        }
        ClientSession.ReplyMode after = session.replyMode;
        switch (after) {
            case ON -> { }
            case OFF -> writer.truncate(mark);
            case SKIP_NEXT -> { // CLIENT REPLY SKIP itself is silent, and so is the next command
                writer.truncate(mark);
                session.replyMode = ClientSession.ReplyMode.SKIP;
            }
            case SKIP -> {
                writer.truncate(mark);
                if (before == ClientSession.ReplyMode.SKIP) session.replyMode = ClientSession.ReplyMode.ON;
            }
        }
        args.clear();
        session.argvMemory = 0;
    }

    @Override public void channelReadComplete(ChannelHandlerContext ctx) {
        send(true);
        if (!ctx.channel().isWritable() && ctx.channel().config().isAutoRead()) {
            // The client is not reading its replies: stop reading its requests until it does.
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !closing) ctx.channel().config().setAutoRead(true);
        ctx.fireChannelWritabilityChanged();
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        session.disconnected(server);
        server.clients().remove(session);
        takePushes(); // closing: released, not written
        writer.release();
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are how clients leave; log at verbose only.
        Log.verbose("Client id=" + (session == null ? -1 : session.id) + " closed: " + cause.getMessage());
        closeNow();
    }

    private void flushAndClose() {
        closing = true;
        ByteBuf out = take();
        if (out != null) ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        else ctx.close();
    }

    /** Takes the replies written so far, counting them for INFO and CLIENT LIST. */
    private ByteBuf take() {
        ByteBuf out = writer.take();
        if (out != null) {
            int n = out.readableBytes();
            server.stats().netOutputBytes.add(n);
            server.stats().ioWritesProcessed.increment();
            session.netOutput += n;
        }
        return out;
    }

    /** Hands pending replies to the socket (flushing at the end of a read batch). */
    private void send(boolean flush) {
        ByteBuf out = take();
        if (out != null) {
            if (flush) ctx.writeAndFlush(out, ctx.voidPromise());
            else ctx.write(out, ctx.voidPromise());
        } else if (flush) {
            ctx.flush();
        }
        ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
        long queued = ob == null ? 0 : ob.totalPendingWriteBytes();
        session.outputBufferBytes = queued;
        if (queued > session.outputPeak) session.outputPeak = queued;
        // A client with subscriptions is judged by the pubsub class's limits, as Redis's getClientType.
        closeIfOutputBufferLimitReached(limits.outputBufferLimit(session.inPubSub() ? NetLimits.PUBSUB : NetLimits.NORMAL));
    }

    // ------------------------------------------------------------ client-output-buffer-limit

    private long softLimitReachedSec; // 0: not over the soft limit

    /**
     * Closes this client when the replies it has not read reach {@code limit}, as Redis's
     * checkClientOutputBufferLimits: at once at the hard limit, or once they stayed at the soft
     * limit for more than its seconds. Each client class passes its own limits (NetLimits).
     */
    boolean closeIfOutputBufferLimitReached(NetLimits.OutputBufferLimit limit) {
        long used = session.outputBufferBytes + writer.pendingBytes();
        if (closing || used == 0) {
            softLimitReachedSec = 0;
            return false;
        }
        boolean hard = limit.hard() != 0 && Long.compareUnsigned(used, limit.hard()) >= 0;
        boolean soft = limit.soft() != 0 && Long.compareUnsigned(used, limit.soft()) >= 0;
        if (soft) {
            long nowSec = server.clock().millis() / 1000;
            if (softLimitReachedSec == 0) {
                softLimitReachedSec = nowSec;
                soft = false;
            } else {
                soft = nowSec - softLimitReachedSec > limit.softSeconds();
            }
        } else {
            softLimitReachedSec = 0;
        }
        if (!hard && !soft) return false;
        Log.warning("Client " + io.jackdaw.command.ClientCommands.infoLine(session, server.clock().millis())
                + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        server.stats().clientOutputBufferLimitDisconnections.increment();
        closeNow();
        return true;
    }

    private void closeNow() {
        closing = true;
        ctx.close();
    }

    // ------------------------------------------------------------ ClientSession.Channel

    @Override public void close(boolean now) {
        if (ctx.executor().inEventLoop()) {
            if (executing && !now) session.closeAfterReply = true; // our own command: reply first
            else if (now) closeNow();
            else if (!closing) flushAndClose();
        } else {
            ctx.executor().execute(() -> close(now));
        }
    }

    @Override public boolean inEventLoop() { return ctx.executor().inEventLoop(); }

    @Override public void execute(Runnable task) { ctx.executor().execute(task); }

    @Override public java.util.concurrent.Future<?> schedule(Runnable task, long delayMs) {
        return ctx.executor().schedule(task, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override public io.jackdaw.command.Reply detachedReply() {
        RespWriter w = new RespWriter(ctx.alloc(), server.stats());
        w.setProtocol(session.resp);
        return w;
    }

    @Override public void resumeAfterBlock(io.jackdaw.command.Reply reply) {
        ByteBuf out = reply == null ? null : ((RespWriter) reply).take();
        if (closing) {
            if (out != null) out.release();
            return;
        }
        send(false); // what the owner's writer holds (a timeout reply) goes first
        if (out != null) {
            int n = out.readableBytes();
            server.stats().netOutputBytes.add(n);
            session.netOutput += n;
            ctx.write(out, ctx.voidPromise());
        }
        if (!pushes.isEmpty()) { // messages held back while the client's script ran
            takePushes();
            send(false);
        }
        readOn();
    }

    @Override public void rerun(CommandArgs rerunArgs) {
        if (closing) return;
        args.copyFrom(rerunArgs);
        execute();
        readOn();
    }

    /**
     * Pub/sub messages from other threads wait here until this loop takes them: at the next
     * command at the latest, so a message published before PUBLISH answered reaches a subscriber
     * before the reply to anything it sends afterwards, as in Redis.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuf> pushes = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override public void sendDetached(io.jackdaw.command.Reply reply) {
        ByteBuf out = ((RespWriter) reply).take();
        if (out != null) enqueue(out);
    }

    /** Queues bytes from another thread for this loop, which sends them as soon as it can. */
    private void enqueue(ByteBuf out) {
        pushes.add(out);
        ctx.executor().execute(() -> {
            // A message a client's own script published reaches it after the script's reply, as
            // in Redis: it waits in the queue until resumeAfterBlock has written that reply.
            if (session.runningScript) return;
            takePushes();
            if (!executing && !closing) send(true);
        });
    }

    /** Moves waiting pub/sub messages into the reply buffer, after the replies already there. */
    private void takePushes() {
        ByteBuf b;
        while ((b = pushes.poll()) != null) {
            if (closing) b.release();
            else writer.append(b);
        }
    }

    // ------------------------------------------------------------ bytes from other clients (MONITOR)

    @Override public void deliver(byte[] wire) {
        if (session.replyMode == ClientSession.ReplyMode.OFF) return;
        enqueue(io.netty.buffer.Unpooled.wrappedBuffer(wire)); // the same way as pub/sub messages
    }

    @Override public void push(byte[] wire) {
        enqueue(io.netty.buffer.Unpooled.wrappedBuffer(wire));
    }

    @Override public void takePushesNow() {
        if (!pushes.isEmpty()) takePushes();
    }

    /** After a block: runs the requests that arrived meanwhile, then flushes. */
    private void readOn() {
        if (!session.isBlocked() && pending != null && !closing) {
            ByteBuf buf = pending;
            pending = null;
            processAndKeepRest(buf);
        }
        if (!closing) send(true);
    }
}
