package io.jackdaw.store;

/**
 * All databases, split into shards by hash slot. A command locks the shards of its keys in
 * ascending order (see the command dispatcher); whole-keyspace commands lock them all.
 */
public final class Keyspace {
    private final Shard[] shards;
    private final int shardShift;
    private final int databases;
    private volatile ExpiryListener expiryListener = ExpiryListener.NONE;
    private volatile FieldExpiryListener fieldExpiryListener = FieldExpiryListener.NONE;
    private final AccessTracking access = new AccessTracking();
    private final long[] avgTtl;
    /** Distinct keys clients block on, over all databases (INFO total_blocking_keys). */
    private final java.util.concurrent.atomic.AtomicLong blockingKeys = new java.util.concurrent.atomic.AtomicLong();
    /** Of those, keys an XREADGROUP waits on, which wake it when deleted too (INFO total_blocking_keys_on_nokey). */
    private final java.util.concurrent.atomic.AtomicLong blockingKeysOnNoKey = new java.util.concurrent.atomic.AtomicLong();
    /** Keys some client WATCHes (INFO total_watched_keys); zero keeps writes from looking. */
    private final java.util.concurrent.atomic.AtomicLong watchedKeys = new java.util.concurrent.atomic.AtomicLong();
    /** Keys tracking clients may cache, and (key, client) pairs: INFO tracking_total_keys/items. */
    private final java.util.concurrent.atomic.AtomicLong trackedKeys = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong trackedItems = new java.util.concurrent.atomic.AtomicLong();
    /** Live bytes of every table (KeyTable#liveMemoryBytes), kept up to date by the tables themselves. */
    private final java.util.concurrent.atomic.LongAdder liveBytes = new java.util.concurrent.atomic.LongAdder();
    /** Clients blocked on keys (INFO blocked_clients); non-zero makes the dispatcher look for ready keys. */
    private final java.util.concurrent.atomic.AtomicInteger blockedClients = new java.util.concurrent.atomic.AtomicInteger();

    /** Told about keys removed because their time passed (replication and notifications hook here). */
    public interface ExpiryListener {
        ExpiryListener NONE = (db, key, off, len) -> {};

        void expired(int db, byte[] key, int off, int len);
    }

    /**
     * Told about hash fields removed because their time passed, lazily on access or by the
     * active cycle (not those HEXPIRE deletes with a time in the past: that is the command's own
     * write). The hook for INFO's expired_subkeys, the "hexpired" (and, with the hash gone,
     * "del") keyspace notifications, and the HDEL that replicas and the AOF will see.
     */
    public interface FieldExpiryListener {
        FieldExpiryListener NONE = (db, key, off, len, fields, hashDeleted) -> {};

        void fieldsExpired(int db, byte[] key, int off, int len, int fields, boolean hashDeleted);
    }

    public Keyspace(int databases, int shardCount) {
        if (Integer.bitCount(shardCount) != 1 || shardCount > HashSlot.SLOTS)
            throw new IllegalArgumentException("shard count must be a power of two up to 16384");
        this.databases = databases;
        this.avgTtl = new long[databases];
        this.shards = new Shard[shardCount];
        for (int i = 0; i < shardCount; i++) shards[i] = new Shard(i, databases, blockingKeys, blockingKeysOnNoKey, watchedKeys, trackedKeys, trackedItems, liveBytes);
        this.shardShift = 14 - Integer.numberOfTrailingZeros(shardCount);
    }

    public int databases() { return databases; }

    public int shardCount() { return shards.length; }

    public Shard shard(int i) { return shards[i]; }

    public int shardOfSlot(int slot) { return slot >>> shardShift; }

    public int shardOf(byte[] key, int off, int len) { return HashSlot.of(key, off, len) >>> shardShift; }

    public AccessTracking access() { return access; }

    /**
     * INFO keyspace's avg_ttl: a moving average of the remaining time of the keys the active
     * expiry cycle samples, folded in as Redis does (49/50 old, 1/50 new), 0 without volatile keys.
     */
    public long avgTtl(int db) { return avgTtl[db]; }

    /** Folds one cycle's sample of a database into its average; called by the expiry cycle only. */
    public void sampleTtl(int db, long ttlSum, long samples) {
        if (samples == 0) return;
        long avg = ttlSum / samples;
        avgTtl[db] = avgTtl[db] == 0 ? avg : (avgTtl[db] / 50) * 49 + avg / 50;
    }

    /** Clears a database's average (the cycle found no key with an expiry). */
    public void resetAvgTtl(int db) { avgTtl[db] = 0; }

    public void setExpiryListener(ExpiryListener l) { this.expiryListener = l == null ? ExpiryListener.NONE : l; }

    public ExpiryListener expiryListener() { return expiryListener; }

    public void setFieldExpiryListener(FieldExpiryListener l) {
        this.fieldExpiryListener = l == null ? FieldExpiryListener.NONE : l;
    }

    public FieldExpiryListener fieldExpiryListener() { return fieldExpiryListener; }

    /** Told about each key a write creates: the hook for the "new" keyspace event. */
    public interface NewKeyListener {
        void added(int db, byte[] key, int off, int len);
    }

    private volatile NewKeyListener newKeyListener;

    /** Sets who hears of created keys; null (nobody, the usual case) costs a write one field read. */
    public void setNewKeyListener(NewKeyListener l) { this.newKeyListener = l; }

    /** A write created key {@code k} in {@code db} (Redis's dbAdd). Caller holds the key's shard lock. */
    void keyAdded(int db, byte[] k, int off, int len) {
        NewKeyListener l = newKeyListener;
        if (l != null) l.added(db, k, off, len);
    }

    private volatile VersionedSnapshot snapshot;

    /** Whether a snapshot is being written: writers must then pass {@link #beforeWrite}. */
    public boolean snapshotting() { return snapshot != null; }

    /** Installs a snapshot; the caller holds every shard lock. False when another is still being written. */
    public boolean startSnapshot(VersionedSnapshot s) {
        if (snapshot != null) return false;
        snapshot = s;
        return true;
    }

    void endSnapshot(VersionedSnapshot s) {
        if (snapshot == s) snapshot = null;
    }

    /**
     * The write barrier: the caller holds shard {@code s}'s lock and may change it. A snapshot in
     * progress that has not written the shard yet captures it now, as it was when the snapshot began.
     */
    public void beforeWrite(Shard s) {
        VersionedSnapshot v = snapshot;
        if (v != null) v.beforeWrite(s);
    }

    /** The write barrier for one key: the caller holds shard {@code s}'s lock and may change key {@code k} of database {@code db}. */
    public void beforeWriteKey(Shard s, int db, byte[] k, int off, int len) {
        VersionedSnapshot v = snapshot;
        if (v != null) v.beforeWriteKey(s, db, k, off, len);
    }

    public void lockAll() {
        for (Shard s : shards) s.lock.lock();
    }

    public void unlockAll() {
        for (int i = shards.length - 1; i >= 0; i--) shards[i].lock.unlock();
    }

    /** Keys in a database. Caller holds every shard lock for an exact figure. */
    public long size(int db) {
        long n = 0;
        for (Shard s : shards) {
            KeyTable t = s.tableIfPresent(db);
            if (t != null) n += t.size();
        }
        return n;
    }

    /** Keys with an expiry in a database. Same locking as {@link #size}. */
    public long ttlCount(int db) {
        long n = 0;
        for (Shard s : shards) {
            KeyTable t = s.tableIfPresent(db);
            if (t != null) n += t.ttlCount();
        }
        return n;
    }

    /** Bytes held by all tables; read without locks, so a moment's approximation. */
    /**
     * Live bytes over every table (KeyTable#liveMemoryBytes): one sum of striped counters the
     * tables add their changes to, cheap enough for maxmemory to read before every command.
     */
    public long liveMemoryBytes() { return liveBytes.sum(); }

    public long memoryBytes() {
        long n = 0;
        for (Shard s : shards) {
            for (int db = 0; db < databases; db++) {
                KeyTable t = s.tableIfPresent(db);
                if (t != null) n += t.memoryBytes();
            }
        }
        return n;
    }

    /** Empties one database. Caller holds every shard lock. */
    public void flush(int db) {
        for (Shard s : shards) {
            s.drop(db);
            if (!s.blocked.isEmpty()) s.blocked.signalAll(db); // waiting XREADGROUPs fail now
        }
    }

    /** Empties every database. Caller holds every shard lock. */
    public void flushAll() {
        for (int db = 0; db < databases; db++) flush(db);
    }

    /**
     * Swaps two databases. Caller holds every shard lock. Clients blocked in either stay with
     * their database number and may now find values there, as after SWAPDB in Redis.
     */
    public void swap(int a, int b) {
        for (Shard s : shards) {
            s.swap(a, b);
            if (!s.blocked.isEmpty()) {
                s.blocked.signalAll(a);
                s.blocked.signalAll(b);
            }
        }
    }

    /** DEBUG SET-ACTIVE-EXPIRE: whether the cron's active expiry cycle runs (this server only). */
    private volatile boolean activeExpire = true;

    public boolean activeExpire() { return activeExpire; }

    public void setActiveExpire(boolean on) { activeExpire = on; }

    /**
     * CLIENT PAUSE holds expiry until this time (ms; 0 when not paused): the active cycle skips,
     * and reads treat a stale key as gone without deleting it, as Redis's PAUSE_ACTION_EXPIRE.
     */
    private volatile long expiryPausedUntil;

    public void pauseExpiryUntil(long untilMs) { expiryPausedUntil = untilMs; }

    public boolean expiryPaused(long now) { return now < expiryPausedUntil; }

    public long blockingKeys() { return blockingKeys.get(); }

    public long blockingKeysOnNoKey() { return blockingKeysOnNoKey.get(); }

    public long watchedKeys() { return watchedKeys.get(); }

    /** Keys in the tracking table, over every shard; zero keeps writes from looking. */
    public long trackedKeys() { return trackedKeys.get(); }

    public long trackedItems() { return trackedItems.get(); }

    /** A key of {@code db} in shard {@code s} changed: WATCHes on it fail. Caller holds the shard's lock. */
    public void touchWatched(Shard s, int db, byte[] k, int off, int len) {
        if (s.watched.isEmpty()) return;
        KeyTable t = s.tableIfPresent(db);
        boolean exists = t != null && t.lookup(k, off, len, io.jackdaw.types.Bytes.hash(k, off, len)) >= 0;
        s.watched.touch(db, k, off, len, exists);
    }

    /** A key expired and was removed: WATCHes on it fail (unless it was expired when watched), then the listener hears of it. */
    public void keyExpired(Shard s, int db, byte[] k, int off, int len) {
        if (watchedKeys.get() != 0 && !s.watched.isEmpty()) s.watched.touch(db, k, off, len, false); // it is going
        expiryListener.expired(db, k, off, len);
    }

    /**
     * FLUSHDB, FLUSHALL ({@code other} &lt; 0) or SWAPDB (with database {@code other}) is about
     * to replace database {@code db}: its WATCHes fail as Redis decides (see
     * WatchedKeys#touchAll). Caller holds every shard lock; {@code now} is the command's clock.
     */
    public void touchAllWatched(int db, int other, long now) {
        if (watchedKeys.get() == 0) return;
        for (Shard s : shards) {
            if (s.watched.isEmpty()) continue;
            KeyTable a = s.tableIfPresent(db), b = other < 0 ? null : s.tableIfPresent(other);
            s.watched.touchAll(db, k -> probe(a, k, now), other < 0 ? null : k -> probe(b, k, now));
        }
    }

    private static int probe(KeyTable t, byte[] k, long now) {
        if (t == null) return WatchedKeys.Probe.ABSENT;
        int slot = t.lookup(k, 0, k.length, io.jackdaw.types.Bytes.hash(k, 0, k.length));
        if (slot < 0) return WatchedKeys.Probe.ABSENT;
        return t.hasTtl(slot) && KeyTable.isExpired(t.expireAtSlot(slot), now) ? WatchedKeys.Probe.EXPIRED : WatchedKeys.Probe.LIVE;
    }

    public int blockedClients() { return blockedClients.get(); }

    /** Counts a client in or out of the blocked state. */
    public void blockedClientsAdd(int delta) { blockedClients.addAndGet(delta); }
}
