package io.jackdaw.command;

/**
 * A client's state as the command layer sees it. The network layer owns the socket and
 * keeps the buffer figures here current; everything else is changed by commands running
 * on the client's own event loop. Other threads (CLIENT LIST, INFO) read it racily, as a
 * snapshot, which is all those replies promise.
 */
public final class ClientSession {
    /** What the network layer does for the command layer. */
    public interface Channel {
        /** Closes the connection once pending replies are flushed (or at once when {@code now}). */
        void close(boolean now);

        /** True when the call runs on this client's own event loop thread. */
        boolean inEventLoop();
    }

    public enum ReplyMode { ON, OFF, SKIP, SKIP_NEXT }

    public final long id;
    public final String addr, laddr;
    public final int fd;
    public final long createdMs;
    private final Channel channel;

    public String name;       // null when unset
    public String libName, libVer;
    public int db;
    public int resp = 2;
    public boolean authenticated;
    public String user = "default";
    public long lastInteractionMs;
    public String lastCommand = "NULL";
    public boolean noEvict, noTouch;
    public ReplyMode replyMode = ReplyMode.ON;
    public boolean closeAfterReply;
    public volatile boolean killed;
    public boolean unixSocket;

    // Figures the network layer maintains for CLIENT LIST / INFO clients.
    public long queryBufferBytes, argvMemory, outputBufferBytes, outputPeak;
    public long netInput, netOutput, commandsProcessed;

    public ClientSession(long id, String addr, String laddr, int fd, long createdMs, Channel channel) {
        this.id = id;
        this.addr = addr;
        this.laddr = laddr;
        this.fd = fd;
        this.createdMs = createdMs;
        this.lastInteractionMs = createdMs;
        this.channel = channel;
    }

    public Channel channel() { return channel; }

    /** Marks the client killed and closes it; safe from any thread. */
    public void kill() {
        killed = true;
        channel.close(false);
    }
}
