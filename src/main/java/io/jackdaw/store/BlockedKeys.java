package io.jackdaw.store;

import io.jackdaw.types.ByteKey;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients blocked on keys of one shard, per database: a FIFO queue per key, as Redis's
 * {@code db->blocking_keys}. Guarded by the shard's lock. A write that stores a key someone
 * waits on queues it as ready on the writing thread ({@link #readyQueue}); the dispatcher
 * serves the ready keys before it releases the locks, so no other client can take the value
 * first.
 */
public final class BlockedKeys {
    /** A key that got a value while clients wait on it, to be served before the locks go. */
    public record Ready(Shard shard, int db, byte[] key) {}

    private static final ThreadLocal<ArrayDeque<Ready>> READY = ThreadLocal.withInitial(ArrayDeque::new);

    /** The calling thread's ready keys, in the order they were signalled. */
    public static ArrayDeque<Ready> readyQueue() { return READY.get(); }

    private final Shard shard;
    private final AtomicLong totalKeys, totalKeysOnNoKey;
    private final HashMap<ByteKey, ArrayDeque<Waiter>>[] byDb;
    private int waiting; // queue entries in this shard: 0 keeps the write path to one field read

    @SuppressWarnings("unchecked")
    BlockedKeys(Shard shard, int databases, AtomicLong totalKeys, AtomicLong totalKeysOnNoKey) {
        this.shard = shard;
        this.totalKeys = totalKeys;
        this.totalKeysOnNoKey = totalKeysOnNoKey;
        this.byDb = new HashMap[databases];
    }

    /** Whether anyone waits on a key of this shard. */
    public boolean isEmpty() { return waiting == 0; }

    /** Appends a waiter to a key's queue. */
    public void add(Waiter w, byte[] key) {
        HashMap<ByteKey, ArrayDeque<Waiter>> m = byDb[w.db];
        if (m == null) byDb[w.db] = m = new HashMap<>();
        ArrayDeque<Waiter> q = m.computeIfAbsent(ByteKey.copyOf(key, 0, key.length), k -> {
            totalKeys.incrementAndGet();
            return new ArrayDeque<>(4);
        });
        if (w.runsWithoutKey() && !anyRunsWithoutKey(q)) totalKeysOnNoKey.incrementAndGet();
        q.addLast(w);
        waiting++;
    }

    private static boolean anyRunsWithoutKey(ArrayDeque<Waiter> q) {
        for (Waiter w : q) if (w.runsWithoutKey()) return true;
        return false;
    }

    /** Removes a waiter from a key's queue (nothing when it is not there). */
    public void remove(Waiter w, byte[] key) {
        HashMap<ByteKey, ArrayDeque<Waiter>> m = byDb[w.db];
        if (m == null) return;
        ByteKey k = ByteKey.copyOf(key, 0, key.length);
        ArrayDeque<Waiter> q = m.get(k);
        if (q == null || !q.remove(w)) return;
        waiting--;
        if (w.runsWithoutKey() && !anyRunsWithoutKey(q)) totalKeysOnNoKey.decrementAndGet();
        if (q.isEmpty()) {
            m.remove(k);
            totalKeys.decrementAndGet();
        }
    }

    /** The waiters of a key, oldest first, as a snapshot; empty when none. */
    public Waiter[] waiters(int db, byte[] key) {
        HashMap<ByteKey, ArrayDeque<Waiter>> m = byDb[db];
        if (m == null) return NONE;
        ArrayDeque<Waiter> q = m.get(ByteKey.copyOf(key, 0, key.length));
        return q == null ? NONE : q.toArray(NONE);
    }

    private static final Waiter[] NONE = new Waiter[0];

    /** Called for every key a write stores: queues it as ready when someone waits on it. */
    void signal(int db, byte[] k, int off, int len) {
        HashMap<ByteKey, ArrayDeque<Waiter>> m = byDb[db];
        if (m == null || m.isEmpty()) return;
        ByteKey key = ByteKey.copyOf(k, off, len);
        if (!m.containsKey(key)) return;
        ArrayDeque<Ready> q = READY.get();
        for (Ready r : q) if (r.shard() == shard && r.db() == db && Arrays.equals(r.key(), key.bytes())) return;
        q.addLast(new Ready(shard, db, key.bytes()));
    }

    /** Queues every waited-on key of a database as ready (SWAPDB brought in new values). */
    void signalAll(int db) {
        HashMap<ByteKey, ArrayDeque<Waiter>> m = byDb[db];
        if (m == null) return;
        for (ByteKey k : m.keySet()) signal(db, k.bytes(), 0, k.bytes().length);
    }
}
