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

        /** Runs a task on this client's event loop. */
        void execute(Runnable task);

        /** Runs a task on this client's event loop after a delay. */
        java.util.concurrent.Future<?> schedule(Runnable task, long delayMs);

        /** A reply buffer of its own, for a blocked command re-run on another thread. */
        Reply detachedReply();

        /** On the loop, after a block ended: sends {@code reply}'s bytes (when not null) and reads on. */
        void resumeAfterBlock(Reply reply);

        /** On the loop: runs a blocked command again from the start, then reads on. */
        void rerun(CommandArgs args);

        /** Sends a detached reply's bytes on the loop, after what the connection already holds. */
        void sendDetached(Reply reply);
        /** Sends bytes already in wire form (a MONITOR line); from any thread, they go out on this client's loop. */
        void deliver(byte[] wire);

        /** As {@link #deliver}, but sent even under CLIENT REPLY OFF, as Redis's push messages (tracking invalidations). */
        void push(byte[] wire);

        /** On the loop: moves pushes queued for this client into its reply buffer now, ahead of the reply to come. */
        void takePushesNow();
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
    /** CLIENT CAPA REDIRECT: the client follows a replica's -REDIRECT to its primary (kept for replication). */
    public boolean capaRedirect;
    public ReplyMode replyMode = ReplyMode.ON;
    public boolean closeAfterReply;
    public volatile boolean killed;
    public boolean unixSocket;
    /** Channels, patterns and shard channels the client subscribes to, or null. */
    PubSubCommands.Subscriptions pubsub;

    /** Whether the client has any subscription (RESP2 clients are then limited to the pub/sub commands). */
    public boolean inPubSub() {
        PubSubCommands.Subscriptions s = pubsub;
        return s != null && (s.channelCount + s.patternCount + s.shardCount) > 0;
    }

    /** CLIENT LIST sub=, psub=, ssub=. */
    public int subscribedChannels() { return pubsub == null ? 0 : pubsub.channelCount; }

    public int subscribedPatterns() { return pubsub == null ? 0 : pubsub.patternCount; }

    public int subscribedShardChannels() { return pubsub == null ? 0 : pubsub.shardCount; }

    /** CLIENT TRACKING mode, or null when off. */
    volatile ClientTracking.State tracking;

    /** Whether CLIENT TRACKING is on (flag t). */
    public boolean tracking() { return tracking != null; }

    /** CLIENT LIST redir=: the redirect target when tracking, else -1. */
    public long trackingRedirect() {
        ClientTracking.State t = tracking;
        return t == null ? -1 : t.redirect;
    }

    /** Tracking with a redirect target that has gone (flag R). */
    public boolean trackingBrokenRedirect() {
        ClientTracking.State t = tracking;
        return t != null && t.brokenRedirect;
    }

    /** Tracking in BCAST mode (flag B). */
    public boolean trackingBroadcast() {
        ClientTracking.State t = tracking;
        return t != null && t.bcast;
    }

    /** The commands queued since MULTI, or null outside a transaction. */
    Transactions.MultiState multi;
    /** What the client WATCHes, or null. */
    Transactions.Watches watches;

    /** Whether the client is between MULTI and EXEC/DISCARD. */
    public boolean inMulti() { return multi != null; }

    /** Commands queued since MULTI (CLIENT LIST multi=), -1 outside a transaction. */
    public int multiCount() {
        Transactions.MultiState m = multi;
        return m == null ? -1 : m.queued.size();
    }

    /** Bytes of the queued commands (CLIENT LIST multi-mem). */
    public long multiBytes() {
        Transactions.MultiState m = multi;
        return m == null ? 0 : m.bytes;
    }

    /** Keys the client WATCHes (CLIENT LIST watch=). */
    public int watchCount() {
        Transactions.Watches w = watches;
        return w == null ? 0 : w.entries.size();
    }

    /** The command this client is blocked in, or null. */
    volatile Blocking.BlockedCall blocked;
    /** Held by CLIENT PAUSE: its command waits in ClientPause, its later input in the connection. */
    volatile boolean postponed;
    /** Its EVAL/FCALL runs on the script thread: its next requests wait, as a blocked client's. */
    public volatile boolean runningScript;
    /** The call its scripts' redis.call commands run through, made on its first script and reused. */
    Call scriptCall;
    /** In MONITOR mode (flag O): fed every command, kept off the keyspace and out of pauses, as Redis's replicas. */
    public volatile boolean monitor;
    /** The next command is a blocked one run again from the start: MONITOR saw it the first time. */
    boolean reprocessing;

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

    /** Whether the client waits in a blocking command or a pause (it reads no requests meanwhile). */
    public boolean isBlocked() { return blocked != null || postponed || runningScript; }

    /** Whether the client is blocked with a deadline (INFO clients_in_timeout_table). */
    public boolean isBlockedWithTimeout() {
        Blocking.BlockedCall w = blocked;
        return w != null && w.deadline > 0;
    }

    /** The connection closed: subscriptions, a blocked or postponed command, monitor mode, MULTI and WATCHes go. */
    public void disconnected(ServerContext server) {
        ClientRegistry registry = server.clients();
        PubSubCommands.unsubscribeAll(this, server);
        if (blocked != null) Blocking.disconnected(this);
        if (postponed) registry.pause().forget(this);
        if (monitor) registry.monitors().remove(this);
        server.tracking().disable(this);
        multi = null;
        Transactions.unwatchAll(this, server.keyspace(), false);
    }

    /** Marks the client killed and closes it; safe from any thread. */
    public void kill() {
        killed = true;
        channel.close(false);
    }
}
