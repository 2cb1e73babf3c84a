package io.jackdaw.command;

import io.jackdaw.store.Keyspace;
import io.jackdaw.store.KeyTable;
import io.jackdaw.store.Shard;
import io.jackdaw.store.WatchedKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH as Redis 7.2 runs them. The gate queues a client's
 * commands between MULTI and EXEC after the checks every command passes (a refusal there
 * dooms the transaction: EXEC answers EXECABORT); EXEC holds every shard (its table entry says
 * "lockAll"), so no other client sees half of it, and runs the queued commands one after the
 * other into one array reply; a runtime error is just one element of it.
 *
 * <p>WATCH registers the client on each key in its shard ({@code Shard.watched}); a write that
 * changes a watched key, the key's expiry, or FLUSHDB/FLUSHALL/SWAPDB replacing it marks the
 * client's watch state, and EXEC then answers a null array. EXEC, DISCARD, UNWATCH, RESET and
 * a disconnect drop the watches.
 */
final class Transactions {
    private Transactions() {}

    /** The commands a client queued since MULTI. */
    static final class MultiState {
        final List<CommandArgs> queued = new ArrayList<>();
        /** A command was refused while queueing: EXEC answers EXECABORT. */
        boolean aborted;
        long bytes;
        /** The queued commands' flags together: EXEC is paused as a write when any of them writes (Redis's mstate.cmd_flags). */
        long flags;

        /** Queues a command; {@code commandFlags} are its flags as the gate resolved them (a script's, for EVAL). */
        void queue(CommandArgs args, long commandFlags) {
            if (aborted) return; // no sense keeping what EXEC will discard
            CommandArgs copy = new CommandArgs();
            copy.copyFrom(args);
            queued.add(copy);
            bytes += args.totalBytes();
            flags |= commandFlags;
        }
    }

    /** What a client WATCHes. */
    static final class Watches extends WatchedKeys.Watcher {
        final List<WatchedKeys.Entry> entries = new ArrayList<>();
    }

    static void register(CommandTable t, Dispatcher dispatcher) {
        t.register("multi", Transactions::multi);
        t.register("exec", c -> exec(c, dispatcher));
        t.register("discard", Transactions::discard);
        t.register("watch", Transactions::watch);
        t.register("unwatch", c -> {
            unwatchAll(c.client, c.server.keyspace(), false);
            c.reply.ok();
        });
    }

    static void multi(Call c) {
        // Nested MULTI never gets here: the gate refuses it ("no_multi").
        c.client.multi = new MultiState();
        c.reply.ok();
    }

    static void discard(Call c) {
        if (c.client.multi == null) {
            c.reply.error(Errors.DISCARD_WITHOUT_MULTI);
            return;
        }
        c.client.multi = null;
        unwatchAll(c.client, c.server.keyspace(), false);
        c.reply.ok();
    }

    /** EXEC: runs under every shard lock (see the class comment). */
    static void exec(Call c, Dispatcher dispatcher) {
        MultiState m = c.client.multi;
        if (m == null) {
            c.reply.error(Errors.EXEC_WITHOUT_MULTI);
            return;
        }
        c.client.multi = null;
        Keyspace ks = c.server.keyspace();
        boolean watchFailed = watchedKeyTouchedOrExpired(c, ks);
        unwatchAll(c.client, ks, true);
        if (m.aborted) {
            c.reply.error(Errors.EXECABORT);
            return;
        }
        if (watchFailed) {
            c.reply.nullArray();
            return;
        }
        c.reply.array(m.queued.size());
        Call inner = new Call(c.server, c.client, new CommandArgs(), c.reply);
        inner.noBlock = true; // blocking commands answer at once inside a transaction
        inner.nested = true;
        inner.unit = c.unit; // the transaction's writes propagate as one MULTI/EXEC
        inner.frozenNow = c.now;
        inner.frozenMicros = c.server.clock().micros();
        for (CommandArgs q : m.queued) {
            inner.args.copyFrom(q);
            dispatcher.execute(inner);
            c.dirty += inner.dirty;
        }
        inner.dirty = 0;
    }

    /** Whether a watched key was touched, or has expired since it was watched (Redis's isWatchedKeyExpired). */
    private static boolean watchedKeyTouchedOrExpired(Call c, Keyspace ks) {
        Watches w = c.client.watches;
        if (w == null) return false;
        if (w.touched()) return true;
        for (WatchedKeys.Entry e : w.entries) {
            if (e.expiredAtWatch()) continue;
            Shard s = ks.shard(ks.shardOf(e.key, 0, e.key.length));
            KeyTable t = s.tableIfPresent(e.db);
            if (t == null) continue;
            int slot = t.lookup(e.key, 0, e.key.length, io.jackdaw.types.Bytes.hash(e.key, 0, e.key.length));
            if (slot >= 0 && t.hasTtl(slot) && KeyTable.isExpired(t.expireAtSlot(slot), c.now)) return true;
        }
        return false;
    }

    /** WATCH key [key ...] (the gate refuses it inside MULTI). */
    static void watch(Call c) {
        CommandArgs a = c.args;
        Keyspace ks = c.server.keyspace();
        Watches w = c.client.watches;
        if (w == null) c.client.watches = w = new Watches();
        for (int i = 1; i < a.count(); i++) {
            byte[] key = a.bytes(i);
            Shard s = ks.shard(ks.shardOf(key, 0, key.length));
            // Already expired when watched: its later removal is no change (Redis's wk->expired).
            boolean expired = false;
            KeyTable t = s.tableIfPresent(c.db.index());
            if (t != null) {
                int slot = t.lookup(key, 0, key.length, io.jackdaw.types.Bytes.hash(key, 0, key.length));
                expired = slot >= 0 && t.hasTtl(slot) && KeyTable.isExpired(t.expireAtSlot(slot), c.now);
            }
            WatchedKeys.Entry e = s.watched.add(w, c.db.index(), key, expired);
            if (e == null) continue;
            w.entries.add(e);
        }
        c.reply.ok();
    }

    /**
     * Drops every watch of a client. {@code locked}: the caller holds every shard lock (EXEC);
     * otherwise (UNWATCH, DISCARD, RESET, a disconnect: no locks held) they are taken here, one
     * at a time.
     */
    static void unwatchAll(ClientSession client, Keyspace ks, boolean locked) {
        Watches w = client.watches;
        if (w == null) return;
        client.watches = null;
        for (WatchedKeys.Entry e : w.entries) {
            Shard s = ks.shard(ks.shardOf(e.key, 0, e.key.length));
            if (!locked) s.lock.lock();
            try {
                s.watched.remove(e);
            } finally {
                if (!locked) s.lock.unlock();
            }
        }
    }
}
