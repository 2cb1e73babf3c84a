package io.jackdaw.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keys of one shard that clients WATCH, per database (Redis's {@code db->watched_keys}).
 * Guarded by the shard's lock. A write that modifies a watched key marks every watcher's
 * transaction as failed ({@link Watcher#touched}); an empty shard costs one field read.
 */
public final class WatchedKeys {
    /** A client's WATCH state: set when a key it watches changes; read by its EXEC under every lock. */
    public static class Watcher {
        private volatile boolean touched;

        public final boolean touched() { return touched; }

        public final void touch() { touched = true; }

        public final void clearTouched() { touched = false; }
    }

    /** One client watching one key; {@code expiredAtWatch}: the key was already expired when watched. */
    public static final class Entry {
        public final Watcher watcher;
        public final int db;
        public final byte[] key;
        boolean expiredAtWatch;

        Entry(Watcher watcher, int db, byte[] key, boolean expiredAtWatch) {
            this.watcher = watcher;
            this.db = db;
            this.key = key;
            this.expiredAtWatch = expiredAtWatch;
        }

        public boolean expiredAtWatch() { return expiredAtWatch; }
    }

    private record Key(int db, byte[] bytes, int hash) {
        static Key of(int db, byte[] b, int off, int len) {
            byte[] k = Arrays.copyOfRange(b, off, off + len);
            return new Key(db, k, Arrays.hashCode(k) * 31 + db);
        }

        @Override public boolean equals(Object o) { return o instanceof Key k && k.db == db && Arrays.equals(bytes, k.bytes); }

        @Override public int hashCode() { return hash; }
    }

    private final AtomicLong totalKeys;
    private final Map<Key, List<Entry>> map = new HashMap<>();

    WatchedKeys(AtomicLong totalKeys) { this.totalKeys = totalKeys; }

    public boolean isEmpty() { return map.isEmpty(); }

    /** Registers a watch; returns its entry, or null when this watcher already watches the key. */
    public Entry add(Watcher w, int db, byte[] key, boolean expiredAtWatch) {
        List<Entry> list = map.computeIfAbsent(Key.of(db, key, 0, key.length), k -> {
            totalKeys.incrementAndGet();
            return new ArrayList<>(2);
        });
        for (Entry e : list) if (e.watcher == w) return null;
        Entry e = new Entry(w, db, key, expiredAtWatch);
        list.add(e);
        return e;
    }

    public void remove(Entry e) {
        Key k = Key.of(e.db, e.key, 0, e.key.length);
        List<Entry> list = map.get(k);
        if (list == null || !list.remove(e)) return;
        if (list.isEmpty()) {
            map.remove(k);
            totalKeys.decrementAndGet();
        }
    }

    /**
     * A key changed (written, deleted, expired): its watchers' transactions fail, except where
     * the key was already expired when watched and is now gone (logically nothing changed,
     * as Redis's touchWatchedKey rules).
     */
    void touch(int db, byte[] k, int off, int len, boolean existsNow) {
        List<Entry> list = map.get(Key.of(db, k, off, len));
        if (list == null) return;
        for (Entry e : list) {
            if (e.expiredAtWatch && !existsNow) {
                e.expiredAtWatch = false;
                continue;
            }
            e.watcher.touch();
        }
    }

    /** Where a key stands in a database: {@link #ABSENT}, {@link #LIVE} or {@link #EXPIRED} (present, time passed). */
    public interface Probe {
        int ABSENT = 0, LIVE = 1, EXPIRED = 2;

        int state(byte[] key);
    }

    /**
     * FLUSHDB, FLUSHALL (no {@code replacedWith}) or SWAPDB is replacing database {@code db}.
     * Redis's touchAllWatchedKeysInDb rules: a watched key that was already expired when watched
     * and is gone, or stays expired, is no change; an absent key replaced by an expired one is
     * no change either (but now counts as expired when watched); any other key present on
     * either side is touched.
     */
    void touchAll(int db, Probe emptied, Probe replacedWith) {
        for (Map.Entry<Key, List<Entry>> me : map.entrySet()) {
            if (me.getKey().db() != db) continue;
            byte[] k = me.getKey().bytes();
            int before = emptied.state(k), after = replacedWith == null ? Probe.ABSENT : replacedWith.state(k);
            if (before == Probe.ABSENT && after == Probe.ABSENT) continue;
            for (Entry e : me.getValue()) {
                if (e.expiredAtWatch) {
                    if (after == Probe.ABSENT) {
                        e.expiredAtWatch = false;
                        continue;
                    }
                    if (after == Probe.EXPIRED) continue;
                } else if (before == Probe.ABSENT && after == Probe.EXPIRED) {
                    e.expiredAtWatch = true;
                    continue;
                }
                e.watcher.touch();
            }
        }
    }
}
