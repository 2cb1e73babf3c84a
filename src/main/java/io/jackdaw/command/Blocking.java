package io.jackdaw.command;

import io.jackdaw.store.BlockedKeys;
import io.jackdaw.store.Database;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.Shard;
import io.jackdaw.store.Waiter;
import io.jackdaw.types.LongDouble;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Commands that wait for a key to get a value (BLPOP, BZPOPMIN, BLMOVE, ...), as Redis 7.2
 * runs them: a command that finds nothing registers its client at the tail of each key's
 * queue and sends no reply; the client reads no further requests meanwhile. A write that
 * gives one of those keys a value queues it as ready ({@link BlockedKeys}); before that
 * write's locks are released the dispatcher re-runs the waiting commands, oldest first,
 * under the same locks, so the value goes to the first waiter and no other client can take
 * it in between. The reply travels to the waiter's own event loop, which also removes it
 * from its other keys' queues and then reads its next requests.
 *
 * <p>A re-run needs the locks of every key the command names (BLMOVE's destination may live
 * in another shard). Those not already held are only tried, never waited for, so two threads
 * can never wait on each other; when one is busy the command is re-run from scratch on its
 * client's own loop instead, where the value may by then be gone (it then blocks again).
 */
public final class Blocking {
    private Blocking() {}

    /** One blocked command: the waiter in the key queues plus what it takes to re-run it. */
    static final class BlockedCall extends Waiter {
        final ClientSession client;
        /** The client's own call, used on its loop only (the timeout reply goes through it). */
        final Call owner;
        final CommandArgs args = new CommandArgs();
        /** Shards of every key the command names, ascending: what a re-run must hold. */
        final int[] commandShards;
        /** Absolute deadline in ms, 0 for none. */
        final long deadline;
        final CommandSpec spec;
        /** The pending timeout, cancelled when the waiter finishes otherwise. */
        java.util.concurrent.Future<?> timeout;

        BlockedCall(Kind kind, Call c, CommandArgs rerunArgs, byte[][] keys, int[] keyShards, int[] commandShards,
                long deadline) {
            super(kind, c.db.index(), keys, keyShards);
            this.client = c.client;
            this.owner = c;
            this.args.copyFrom(rerunArgs);
            this.commandShards = commandShards;
            this.deadline = deadline;
            this.spec = c.spec;
        }
    }

    // ------------------------------------------------------------ for handlers

    /**
     * Reads a blocking timeout in seconds (fractions allowed) as Redis's
     * getTimeoutFromObjectOrReply: the absolute deadline in ms, 0 for "forever", or -1 after
     * replying the error.
     */
    static long deadline(Call c, int arg) {
        CommandArgs a = c.args;
        LongDouble.Value v = LongDouble.parse(a.data(), a.offset(arg), a.length(arg));
        if (v == null) {
            c.reply.error(Errors.TIMEOUT_NOT_FLOAT);
            return -1;
        }
        long ms;
        if (v.isInfinite()) {
            if (v.infinitySign() > 0) {
                c.reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
                return -1;
            }
            ms = -1;
        } else {
            BigDecimal millis = v.exact().movePointRight(3).setScale(0, RoundingMode.CEILING);
            if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                c.reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
                return -1;
            }
            ms = millis.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0 ? -1 : millis.longValue();
        }
        if (ms < 0) {
            c.reply.error(Errors.TIMEOUT_NEGATIVE);
            return -1;
        }
        if (ms == 0) return 0;
        if (ms > Long.MAX_VALUE - c.now) {
            c.reply.error(Errors.TIMEOUT_OUT_OF_RANGE);
            return -1;
        }
        return ms + c.now;
    }

    /**
     * Whether the command must answer at once instead of blocking (inside a transaction or a
     * script, Redis's CLIENT_DENY_BLOCKING); each command then gives its own empty reply.
     */
    static boolean denied(Call c) { return c.noBlock && !c.serving; }

    /**
     * Blocks the calling client on {@code keyCount} key arguments from {@code firstKey}, found
     * empty by the handler, which replies nothing more (the handler has checked {@link #denied}).
     */
    static void block(Call c, Waiter.Kind kind, int firstKey, int keyCount, long deadline) {
        block(c, kind, firstKey, keyCount, deadline, c.args);
    }

    /**
     * As {@link #block(Call, Waiter.Kind, int, int, long)}, re-running {@code rerunArgs} when
     * served: XREAD's {@code $} is replaced by the ID it stood for when the client blocked.
     */
    static void block(Call c, Waiter.Kind kind, int firstKey, int keyCount, long deadline, CommandArgs rerunArgs) {
        if (c.serving) { // a re-run that found nothing: the waiter stays where it is
            c.reblocked = true;
            return;
        }
        CommandArgs a = c.args;
        Keyspace ks = c.server.keyspace();
        byte[][] keys = new byte[keyCount][];
        int n = 0;
        next:
        for (int i = 0; i < keyCount; i++) {
            int arg = firstKey + i;
            for (int j = 0; j < n; j++) {
                if (Arrays.equals(keys[j], 0, keys[j].length, a.data(), a.offset(arg), a.offset(arg) + a.length(arg)))
                    continue next;
            }
            keys[n++] = a.bytes(arg);
        }
        keys = Arrays.copyOf(keys, n);
        int[] keyShards = new int[n];
        for (int i = 0; i < n; i++) keyShards[i] = ks.shardOf(keys[i], 0, keys[i].length);
        keyShards = Arrays.stream(keyShards).sorted().distinct().toArray();
        BlockedCall w = new BlockedCall(kind, c, rerunArgs, keys, keyShards, c.locks.held(), deadline);
        for (byte[] k : keys) ks.shard(ks.shardOf(k, 0, k.length)).blocked.add(w, k);
        ks.blockedClientsAdd(1);
        c.client.blocked = w;
        c.blocked = true;
        if (deadline > 0) {
            long delay = Math.max(0, deadline - c.server.clock().millis());
            w.timeout = c.client.channel().schedule(() -> timedOut(w), delay);
        }
    }

    // ------------------------------------------------------------ serving, under the writer's locks

    /** Serves the clients waiting on keys this thread made ready; the caller holds the writer's locks. */
    static void serveReady(Dispatcher dispatcher, ServerContext server) {
        ArrayDeque<BlockedKeys.Ready> queue = BlockedKeys.readyQueue();
        if (queue.isEmpty()) return;
        Keyspace ks = server.keyspace();
        Database view = new Database(ks);
        int[] taken = new int[8]; // shards locked for re-runs, released when the queue is empty
        int takenCount = 0;
        try {
            BlockedKeys.Ready r;
            while ((r = queue.pollFirst()) != null) {
                Shard shard = r.shard();
                if (!shard.lock.isHeldByCurrentThread()) continue; // left by a write outside the gate
                for (Waiter waiter : shard.blocked.waiters(r.db(), r.key())) {
                    BlockedCall w = (BlockedCall) waiter;
                    if (w.state() != Waiter.BLOCKED) {
                        shard.blocked.remove(w, r.key()); // finished elsewhere; tidy its entry here
                        continue;
                    }
                    view.at(r.db(), server.clock().millis());
                    byte[] key = r.key();
                    if (!view.findNoTouch(key, 0, key.length)) { // nothing left, but XREADGROUP fails on that
                        if (!w.runsWithoutKey()) continue;
                    } else if (!w.accepts(view.type())) {
                        continue;
                    }
                    if (!w.startServing()) continue;
                    int mark = takenCount;
                    if (taken.length < takenCount + w.commandShards.length)
                        taken = Arrays.copyOf(taken, takenCount + w.commandShards.length + 8);
                    boolean locked = true;
                    for (int s : w.commandShards) {
                        if (!ks.shard(s).lock.tryLock()) {
                            locked = false;
                            break;
                        }
                        taken[takenCount++] = s;
                        ks.beforeWrite(ks.shard(s)); // the served command writes there
                    }
                    if (!locked) {
                        while (takenCount > mark) ks.shard(taken[--takenCount]).lock.unlock();
                        w.served(); // out of every queue's reach; its own loop runs it again
                        ks.blockedClientsAdd(-1);
                        shard.blocked.remove(w, key);
                        w.client.channel().execute(() -> rerun(w));
                        continue;
                    }
                    Call call = new Call(server, w.client, w.args, w.client.channel().detachedReply());
                    call.serving = true;
                    dispatcher.runServed(call, w);
                    if (call.reblocked) {
                        w.stillBlocked(); // to the back of this key's queue, as a re-block in Redis
                        shard.blocked.remove(w, key);
                        shard.blocked.add(w, key);
                    } else {
                        w.served();
                        ks.blockedClientsAdd(-1);
                        shard.blocked.remove(w, key);
                        w.client.channel().execute(() -> finish(w, call.reply));
                    }
                }
            }
        } finally {
            while (takenCount > 0) ks.shard(taken[--takenCount]).lock.unlock();
        }
    }

    // ------------------------------------------------------------ on the waiter's own loop

    /** Takes a finished waiter out of its keys' queues and sends its reply (null: none). */
    private static void finish(BlockedCall w, Reply reply) {
        release(w);
        w.client.channel().resumeAfterBlock(reply);
    }

    /** A waiter whose re-run could not get its locks: runs its command again from the start. */
    private static void rerun(BlockedCall w) {
        release(w);
        w.client.reprocessing = true; // MONITOR saw it when it blocked
        w.client.channel().rerun(w.args);
    }

    /** Removes the waiter from every key queue (locking their shards in order) and unmarks its client. */
    private static void release(BlockedCall w) {
        if (w.timeout != null) w.timeout.cancel(false);
        Keyspace ks = w.owner.server.keyspace();
        for (int s : w.shards) ks.shard(s).lock.lock();
        try {
            for (byte[] k : w.keys) ks.shard(ks.shardOf(k, 0, k.length)).blocked.remove(w, k);
        } finally {
            for (int i = w.shards.length - 1; i >= 0; i--) ks.shard(w.shards[i]).lock.unlock();
        }
        if (w.client.blocked == w) w.client.blocked = null;
    }

    /** The waiter's deadline passed (runs on its loop): the timeout reply, unless a writer served it first. */
    static void timedOut(BlockedCall w) {
        if (w.state() == Waiter.SERVING) { // a writer is on it right now; look again shortly
            w.client.channel().schedule(() -> timedOut(w), 1);
            return;
        }
        if (!w.cancel()) return;
        w.owner.server.keyspace().blockedClientsAdd(-1);
        w.owner.reply.nullArray();
        countFinished(w, false);
        w.client.commandsProcessed++;
        finish(w, null);
    }

    /**
     * CLIENT UNBLOCK: wakes a client blocked on keys with the timeout reply or an
     * {@code -UNBLOCKED} error. False when it is not blocked (or a writer just served it).
     */
    static boolean unblock(ClientSession target, boolean error) {
        BlockedCall w = target.blocked;
        if (w == null || !w.cancel()) return false;
        // Counted here, before CLIENT UNBLOCK answers, so the caller's next INFO sees it, as in Redis.
        w.owner.server.keyspace().blockedClientsAdd(-1);
        countFinished(w, error);
        target.channel().execute(() -> {
            if (error) w.owner.reply.error(Errors.UNBLOCKED_BY_CLIENT);
            else w.owner.reply.nullArray();
            w.client.commandsProcessed++;
            finish(w, null);
        });
        return true;
    }

    /** The client went away while blocked (runs on its loop). */
    static void disconnected(ClientSession client) {
        BlockedCall w = client.blocked;
        if (w != null && w.cancel()) {
            w.owner.server.keyspace().blockedClientsAdd(-1);
            release(w);
        }
    }

    /** A blocked command ended without a re-run: it counts as one call now, as Redis's updateStatsOnUnblock. */
    private static void countFinished(BlockedCall w, boolean failed) {
        CommandSpec spec = w.spec;
        ServerStats stats = w.owner.server.stats();
        spec.calls.increment(); // the time spent blocked is not the command's, as in Redis
        if (failed) spec.failedCalls.increment();
        stats.commandsProcessed.increment();
    }
}
