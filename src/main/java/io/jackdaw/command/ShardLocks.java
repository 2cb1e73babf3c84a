package io.jackdaw.command;

import io.jackdaw.store.Database;
import io.jackdaw.store.Keyspace;

/**
 * The shards one command holds: collected from its keys, kept ascending and unique, locked
 * in that order (so two commands can never wait on each other), released in reverse.
 * One per connection; it doubles as the key sink for key-spec extraction.
 */
final class ShardLocks implements KeySpec.KeySink {
    private final Keyspace keyspace;
    private final Database db;
    private CommandArgs args;
    private int[] shards = new int[8];
    private int count;
    private boolean all;
    /** While at least 0, {@link #key} is the snapshot barrier for keys of this database instead of collecting shards. */
    private int barrierDb = -1;

    ShardLocks(Keyspace keyspace, Database db) {
        this.keyspace = keyspace;
        this.db = db;
    }

    void begin(CommandArgs args) {
        this.args = args;
        this.count = 0;
        this.all = false;
    }

    @Override public void key(int argIndex, long flags) {
        byte[] d = args.data();
        int off = args.offset(argIndex), len = args.length(argIndex);
        int shard = keyspace.shardOf(d, off, len);
        if (barrierDb >= 0) {
            keyspace.beforeWriteKey(keyspace.shard(shard), barrierDb, d, off, len);
            return;
        }
        db.hintShard(d, off, len, shard);
        add(shard);
    }

    /** The snapshot write barrier for each key the specs name in database {@code dbIndex} (their shards are held). */
    void beforeWriteKeys(java.util.List<KeySpec> specs, int dbIndex) {
        barrierDb = dbIndex;
        try {
            for (int i = 0, n = specs.size(); i < n; i++) specs.get(i).extract(args, args.count(), this);
        } finally {
            barrierDb = -1;
        }
    }

    /** Whether the command holds every shard. */
    boolean holdsAll() { return all; }

    private void add(int shard) {
        int pos = count;
        for (int i = 0; i < count; i++) {
            if (shards[i] == shard) return;
            if (shards[i] > shard) {
                pos = i;
                break;
            }
        }
        if (count == shards.length) shards = java.util.Arrays.copyOf(shards, count * 2);
        System.arraycopy(shards, pos, shards, pos + 1, count - pos);
        shards[pos] = shard;
        count++;
    }

    /** The shards collected for this command, ascending (empty when it holds them all). */
    int[] held() { return java.util.Arrays.copyOf(shards, count); }

    void lockAll() { lockAll(null); }

    /** Every shard, in order; false (holding none) when {@code giveUp} says so while waiting. */
    boolean lockAll(java.util.function.BooleanSupplier giveUp) {
        count = 0;
        all = lockEvery(keyspace, giveUp);
        return all;
    }

    /** Every shard of {@code keyspace}, in order; false (holding none) when {@code giveUp} says so while waiting. */
    static boolean lockEvery(Keyspace keyspace, java.util.function.BooleanSupplier giveUp) {
        for (int i = 0, n = keyspace.shardCount(); i < n; i++) {
            if (!acquire(keyspace.shard(i).lock, giveUp)) {
                while (--i >= 0) keyspace.shard(i).lock.unlock();
                return false;
            }
        }
        return true;
    }

    boolean lockCollected(java.util.function.BooleanSupplier giveUp) {
        for (int i = 0; i < count; i++) {
            if (!acquire(keyspace.shard(shards[i]).lock, giveUp)) {
                while (--i >= 0) keyspace.shard(shards[i]).lock.unlock();
                count = 0;
                return false;
            }
        }
        return true;
    }

    /** Waits for a lock, asking {@code giveUp} every few milliseconds while another holds it. */
    private static boolean acquire(java.util.concurrent.locks.ReentrantLock lock, java.util.function.BooleanSupplier giveUp) {
        if (giveUp == null) {
            lock.lock();
            return true;
        }
        if (lock.tryLock()) return true;
        try {
            while (!lock.tryLock(2, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (giveUp.getAsBoolean()) return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lock.lock();
            return true;
        }
    }

    /** The snapshot write barrier (Keyspace.beforeWrite) for every shard held, before the command changes any. */
    void beforeWrites() {
        if (all) {
            for (int i = 0, n = keyspace.shardCount(); i < n; i++) keyspace.beforeWrite(keyspace.shard(i));
        } else {
            for (int i = 0; i < count; i++) keyspace.beforeWrite(keyspace.shard(shards[i]));
        }
    }

    void unlock() {
        if (all) {
            keyspace.unlockAll();
            all = false;
        } else {
            for (int i = count - 1; i >= 0; i--) keyspace.shard(shards[i]).lock.unlock();
        }
        count = 0;
        args = null;
    }
}
