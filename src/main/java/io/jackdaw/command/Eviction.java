package io.jackdaw.command;

import io.jackdaw.store.AccessTracking;
import io.jackdaw.store.Database;
import io.jackdaw.store.KeyTable;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.Shard;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * maxmemory (Redis's evict.c, simplified). Before a command that may grow memory the gate calls
 * {@link #perform}: while {@link ServerContext#memoryForEviction()} is over maxmemory, keys are
 * evicted by the policy, each the best of {@code maxmemory-samples} keys sampled at random
 * across shards and databases (idlest for LRU, least used for LFU, soonest to expire for
 * volatile-ttl, any for random; the volatile policies sample keys with an expiry only). Redis
 * keeps a pool of good candidates between rounds; sampling afresh each time is the simpler
 * approximation of the same idea. An evicted key is announced as "evicted", counted in
 * evicted_keys, fails WATCHes and invalidates tracking clients, as Redis's eviction does.
 */
public final class Eviction {
    static final int NOEVICTION = 0, ALLKEYS_LRU = 1, ALLKEYS_LFU = 2, ALLKEYS_RANDOM = 3, VOLATILE_LRU = 4,
            VOLATILE_LFU = 5, VOLATILE_RANDOM = 6, VOLATILE_TTL = 7;

    /** What {@link #perform} found: under the limit (or freed enough), out of time, or unable to free. */
    public static final int OK = 0, RUNNING = 1, FAIL = 2;

    private final ServerContext server;
    private volatile long maxmemory;
    private volatile int policy = NOEVICTION, samples = 5, tenacity = 10;

    public Eviction(ServerContext server) { this.server = server; }

    public void configure(long maxmemory, String policy, int samples, int tenacity) {
        this.maxmemory = maxmemory;
        this.policy = switch (policy.toLowerCase(Locale.ROOT)) {
            case "allkeys-lru" -> ALLKEYS_LRU;
            case "allkeys-lfu" -> ALLKEYS_LFU;
            case "allkeys-random" -> ALLKEYS_RANDOM;
            case "volatile-lru" -> VOLATILE_LRU;
            case "volatile-lfu" -> VOLATILE_LFU;
            case "volatile-random" -> VOLATILE_RANDOM;
            case "volatile-ttl" -> VOLATILE_TTL;
            default -> NOEVICTION;
        };
        this.samples = Math.max(1, samples);
        this.tenacity = tenacity;
    }

    /** Whether a limit is set (0: none, and the gate skips all of this). */
    public boolean limited() { return maxmemory != 0; }

    /** Redis's evictionTimeLimitUs: 50 µs per tenacity step up to 10, then 15% more per step, none at 100. */
    private long timeLimitNanos() {
        int t = tenacity;
        if (t <= 10) return 50_000L * t;
        if (t < 100) return (long) (500_000L * Math.pow(1.15, t - 10));
        return Long.MAX_VALUE;
    }

    /** Redis's performEvictions: {@link #OK}, {@link #RUNNING} (time ran out first) or {@link #FAIL}. */
    public int perform() {
        long max = maxmemory;
        if (max == 0) return OK;
        long used = server.memoryForEviction();
        if (used <= max) return OK;
        int p = policy;
        if (p == NOEVICTION) return FAIL;
        long toFree = used - max, freed = 0;
        long start = System.nanoTime(), limit = timeLimitNanos();
        Database view = new Database(server.keyspace());
        int evicted = 0;
        while (freed < toFree) {
            long n = evictOne(view, p);
            if (n < 0) return FAIL; // nothing left that the policy may evict
            freed += n;
            // Our estimate of a key's size can be off; look at the real figure now and then.
            if ((++evicted & 15) == 0 && server.memoryForEviction() <= max) return OK;
            if (System.nanoTime() - start > limit) return RUNNING;
        }
        return OK;
    }

    /** Evicts the best of a sample; the bytes it held, or -1 when no key qualifies. */
    private long evictOne(Database view, int p) {
        Keyspace ks = server.keyspace();
        boolean volatileOnly = p >= VOLATILE_LRU;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        AccessTracking access = ks.access();
        long now = server.clock().millis();
        byte[] bestKey = null;
        int bestShard = -1, bestDb = -1;
        long bestScore = Long.MIN_VALUE;
        int shards = ks.shardCount(), dbs = ks.databases();
        int want = p == ALLKEYS_RANDOM || p == VOLATILE_RANDOM ? 1 : samples;
        // Each probe visits shards from a random one on; a full round without a candidate means none exists.
        for (int taken = 0, probes = 0; taken < want && probes < want * 4 + shards; probes++) {
            int si = rnd.nextInt(shards);
            boolean found = false;
            for (int n = 0; n < shards && !found; n++) {
                Shard s = ks.shard((si + n) & (shards - 1));
                s.lock.lock();
                try {
                    int d0 = rnd.nextInt(dbs);
                    for (int m = 0; m < dbs && !found; m++) {
                        int db = (d0 + m) % dbs;
                        KeyTable t = s.tableIfPresent(db);
                        if (t == null || t.size() == 0 || (volatileOnly && t.ttlCount() == 0)) continue;
                        int slot = volatileOnly ? t.randomTtlSlot(rnd) : t.randomSlot(rnd);
                        if (slot < 0) continue;
                        view.at(db, now);
                        view.positionAt(t, slot);
                        long score = switch (p) {
                            case ALLKEYS_LRU, VOLATILE_LRU -> access.idleSeconds(view.accessField(), now);
                            case ALLKEYS_LFU, VOLATILE_LFU -> 255 - access.decayed(view.accessField(), now);
                            case VOLATILE_TTL -> -view.expireAt();
                            default -> 0;
                        };
                        found = true;
                        if (bestKey == null || score > bestScore) {
                            bestScore = score;
                            bestKey = view.foundKey();
                            bestShard = s.index;
                            bestDb = db;
                        }
                    }
                } finally {
                    s.lock.unlock();
                }
            }
            if (!found) break;
            taken++;
        }
        if (bestKey == null) return -1;
        return evict(view, ks.shard(bestShard), bestDb, bestKey, now);
    }

    /** Deletes the key, if it is still there, with everything an eviction signals. */
    private long evict(Database view, Shard s, int db, byte[] key, long now) {
        s.lock.lock();
        try {
            server.keyspace().beforeWriteKey(s, db, key, 0, key.length);
            view.at(db, now);
            if (!view.findNoTouch(key, 0, key.length)) return 0;
            long bytes = view.foundMemoryUsage();
            view.deleteFound();
            WriteFeed feed = server.writeFeed();
            if (feed.active()) feed.deleted(db, key, 0, key.length); // replayed as DEL, in order with the key's writes
            server.stats().evictedKeys.increment();
            Keyspace ks = server.keyspace();
            if (ks.watchedKeys() != 0) ks.touchWatched(s, db, key, 0, key.length);
            ClientTracking tracking = server.tracking();
            if (tracking.active()) tracking.invalidate(null, key, 0, key.length);
            KeyspaceEvents.notify(server, KeyspaceEvents.EVICTED, "evicted", key, 0, key.length, db);
            return bytes;
        } finally {
            s.lock.unlock();
        }
    }
}
