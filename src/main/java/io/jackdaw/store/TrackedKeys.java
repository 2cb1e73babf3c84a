package io.jackdaw.store;

import io.jackdaw.types.ByteKey;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keys of one shard that clients cache under CLIENT TRACKING, each with the ids of the
 * clients that read it (Redis's TrackingTable, split by shard). Guarded by the shard's lock,
 * so a read that remembers a key and a write that invalidates it are ordered by that lock.
 * Keys are names only, whatever the database, as in Redis. Server-wide totals for INFO's
 * tracking_total_keys/items live in the two counters shared by every shard.
 */
public final class TrackedKeys {
    private static final long[] NO_IDS = new long[0];

    private final AtomicLong totalKeys, totalItems;
    private final Map<ByteKey, long[]> map = new HashMap<>();

    TrackedKeys(AtomicLong totalKeys, AtomicLong totalItems) {
        this.totalKeys = totalKeys;
        this.totalItems = totalItems;
    }

    public boolean isEmpty() { return map.isEmpty(); }

    /** Remembers that client {@code id} may cache {@code k}. */
    public void add(byte[] k, int off, int len, long id) {
        ByteKey key = ByteKey.copyOf(k, off, len);
        long[] ids = map.get(key);
        if (ids == null) {
            map.put(key, new long[] {id});
            totalKeys.incrementAndGet();
            totalItems.incrementAndGet();
            return;
        }
        for (long x : ids) if (x == id) return;
        long[] more = java.util.Arrays.copyOf(ids, ids.length + 1);
        more[ids.length] = id;
        map.put(key, more);
        totalItems.incrementAndGet();
    }

    /** Forgets {@code k}, answering the clients that tracked it (none: an empty array). */
    public long[] remove(byte[] k, int off, int len) {
        if (map.isEmpty()) return NO_IDS;
        long[] ids = map.remove(ByteKey.copyOf(k, off, len));
        if (ids == null) return NO_IDS;
        totalKeys.decrementAndGet();
        totalItems.addAndGet(-ids.length);
        return ids;
    }

    /** Forgets some key (the first the map yields), or answers null when there is none; for tracking-table-max-keys. */
    public Map.Entry<ByteKey, long[]> removeAny() {
        Iterator<Map.Entry<ByteKey, long[]>> it = map.entrySet().iterator();
        if (!it.hasNext()) return null;
        Map.Entry<ByteKey, long[]> e = it.next();
        it.remove();
        totalKeys.decrementAndGet();
        totalItems.addAndGet(-e.getValue().length);
        return e;
    }

    /** Forgets every key (FLUSHALL and FLUSHDB empty the whole table, as Redis). */
    public void clear() {
        if (map.isEmpty()) return;
        long items = 0;
        for (long[] ids : map.values()) items += ids.length;
        totalKeys.addAndGet(-map.size());
        totalItems.addAndGet(-items);
        map.clear();
    }
}
