package io.jackdaw.server;

import io.jackdaw.command.Call;
import io.jackdaw.command.ClientSession;
import io.jackdaw.command.CommandArgs;
import io.jackdaw.command.Reply;
import java.util.List;

/**
 * Runs the commands of an append-only file as Redis's AOF client does: through the command
 * table and handlers, with no reply, no authentication or memory checks and nothing blocking,
 * while the loader holds every shard.
 */
final class AofReplay {
    private final JackdawServer server;
    private final Call call;

    AofReplay(JackdawServer server) {
        this.server = server;
        ClientSession client = new ClientSession(-1, "", "", -1, server.clock().millis(), LOADER_CHANNEL);
        client.authenticated = true;
        client.name = "aof-loader";
        this.call = Call.forReplay(server, client, DISCARD);
    }

    /** Runs one command; false when it is not a known one. */
    boolean run(List<byte[]> argv) {
        CommandArgs a = call.args;
        a.clear();
        for (byte[] b : argv) a.add(b);
        if (server.commands().lookup(a) == null) return false;
        server.dispatcher().execute(call);
        return true;
    }

    /** Replies go nowhere: a replayed command already answered its client once. */
    private static final Reply DISCARD = new Reply() {
        @Override public int protocol() { return 2; }
        @Override public void ok() { }
        @Override public void status(String text) { }
        @Override public void error(String message) { }
        @Override public void error(byte[] message) { }
        @Override public void integer(long value) { }
        @Override public void bulk(byte[] b, int off, int len) { }
        @Override public void bulk(String s) { }
        @Override public void bulkLong(long value) { }
        @Override public void nullBulk() { }
        @Override public void nullArray() { }
        @Override public void array(int count) { }
        @Override public void map(int count) { }
        @Override public void set(int count) { }
        @Override public void doubleValue(double d) { }
        @Override public void doubleText(String text) { }
        @Override public void bool(boolean b) { }
        @Override public void verbatim(String fmt, String text) { }
        @Override public void push(int count) { }
        @Override public void bigNumber(String digits) { }
        @Override public void attribute(int count) { }
        @Override public long pendingBytes() { return 0; }
    };

    /** The loader has no connection: what a command would run on its loop runs here and now. */
    private static final ClientSession.Channel LOADER_CHANNEL = new ClientSession.Channel() {
        @Override public void close(boolean now) { }
        @Override public boolean inEventLoop() { return true; }
        @Override public void execute(Runnable task) { task.run(); }
        @Override public java.util.concurrent.Future<?> schedule(Runnable task, long delayMs) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        @Override public Reply detachedReply() { return DISCARD; }
        @Override public void resumeAfterBlock(Reply reply) { }
        @Override public void rerun(CommandArgs args) { }
        @Override public void sendDetached(Reply reply) { }
        @Override public void deliver(byte[] wire) { }
        @Override public void push(byte[] wire) { }
        @Override public void takePushesNow() { }
    };
}
