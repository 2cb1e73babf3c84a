package io.jackdaw.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A range of hash slots with one lock and one {@link KeyTable} per database. Everything
 * inside is single-threaded: callers hold {@link #lock} for the whole command.
 */
public final class Shard {
    public final int index;
    public final ReentrantLock lock = new ReentrantLock();
    /** Clients blocked on keys of this shard. */
    public final BlockedKeys blocked;
    /** Keys of this shard that clients WATCH. */
    public final WatchedKeys watched;
    /** Keys of this shard that tracking clients may cache (CLIENT TRACKING). */
    public final TrackedKeys tracked;
    private final KeyTable[] tables;
    /** Bumped whenever a table is created, dropped or swapped: Keyspace's list of tables is stale. */
    private final java.util.concurrent.atomic.LongAdder liveBytes;

    Shard(int index, int databases, java.util.concurrent.atomic.AtomicLong blockingKeys,
          java.util.concurrent.atomic.AtomicLong blockingKeysOnNoKey,
          java.util.concurrent.atomic.AtomicLong watchedKeys, java.util.concurrent.atomic.AtomicLong trackedKeys,
          java.util.concurrent.atomic.AtomicLong trackedItems, java.util.concurrent.atomic.LongAdder liveBytes) {
        this.index = index;
        this.liveBytes = liveBytes;
        this.tables = new KeyTable[databases];
        this.blocked = new BlockedKeys(this, databases, blockingKeys, blockingKeysOnNoKey);
        this.watched = new WatchedKeys(watchedKeys);
        this.tracked = new TrackedKeys(trackedKeys, trackedItems);
    }

    /** The table of a database, created on first write. */
    public KeyTable table(int db) {
        KeyTable t = tables[db];
        if (t == null) {
            tables[db] = t = new KeyTable();
            t.reportLiveBytesTo(liveBytes);
        }
        return t;
    }

    /** The table of a database, or null when it never held a key. */
    public KeyTable tableIfPresent(int db) { return tables[db]; }

    void drop(int db) {
        KeyTable t = tables[db];
        if (t != null) t.stopReportingLiveBytes();
        tables[db] = null;
    }

    void swap(int a, int b) {
        KeyTable t = tables[a];
        tables[a] = tables[b];
        tables[b] = t;
    }
}
