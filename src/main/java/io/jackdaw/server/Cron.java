package io.jackdaw.server;

import io.jackdaw.command.ClientSession;
import io.jackdaw.command.ClientTracking;
import io.jackdaw.store.Database;
import io.jackdaw.store.HashOps;
import io.jackdaw.store.KeyTable;
import io.jackdaw.store.Keyspace;
import io.jackdaw.store.Shard;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's periodic work, {@code hz} times a second on its own thread: active expiry
 * (a bounded slice of each shard, taken with tryLock so it never waits behind clients),
 * idle-client timeouts, and the samples behind INFO's instantaneous figures.
 */
final class Cron {
    private final JackdawServer server;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jackdaw-cron");
        t.setDaemon(true);
        return t;
    });
    private long lastOps, lastIn, lastOut, lastSampleNs;
    private volatile long opsPerSec;
    private volatile double inKbps, outKbps;
    private int tick;
    /** DEBUG PAUSE-CRON. */
    volatile boolean paused;
    private int expireShard;
    private Database fieldView; // the cron thread's view for expiring hash fields
    private int fieldQuota;

    Cron(JackdawServer server) { this.server = server; }

    void start() {
        schedule();
    }

    /** Re-armed after every tick so that CONFIG SET hz takes effect at the next one. */
    private void schedule() {
        int hz = Math.max(1, Math.min(500, server.config().getInt("hz")));
        try {
            exec.schedule(this::tick, 1_000_000 / hz, TimeUnit.MICROSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // shutting down
        }
    }

    private void tick() {
        run();
        schedule();
    }

    void stop() {
        exec.shutdownNow();
    }

    private void run() {
        if (paused) return;
        try {
            tick++;
            if (server.keyspace().activeExpire() && !server.keyspace().expiryPaused(server.clock().millis())) activeExpire();
            ClientTracking tracking = server.tracking();
            tracking.flushBroadcasts(); // keys the cycle expired, to BCAST clients
            if (tracking.trackingClients() != 0) tracking.enforceLimit();
            sample();
            server.sampleClientMemory();
            server.clients().pause().endIfDueAndRelease(server); // a backstop for the pause's own timer
            if (tick % 10 == 0) clientTimeouts();
            int hz = Math.max(1, Math.min(500, server.config().getInt("hz")));
            Persistence p = server.persistence();
            if (p != null && tick % hz == 0) p.checkSavePoints(); // once a second, as Redis's serverCron
        } catch (RuntimeException e) {
            io.jackdaw.common.Log.warning("cron: " + e);
        }
    }

    /**
     * Removes expired keys and hash fields. Fields first, as Redis interleaves them: each
     * table's hashes filed as due (see store.FieldExpiryIndex), within a quota per tick. Keys
     * after Redis's slow cycle: within a time limit of (25 + 2·effort')% of
     * one tick (effort' = active-expire-effort − 1), each shard's tables are sampled a slice at
     * a time and sampled again while more than (10 − effort')% of the keys with an expiry seen
     * were stale. Shards are taken with tryLock so the cycle never waits behind a client, and a
     * cycle cut short by its time limit resumes at the next shard on the next tick.
     */
    private void activeExpire() {
        Keyspace ks = server.keyspace();
        int effort = Math.max(1, Math.min(10, server.config().getInt("active-expire-effort"))) - 1;
        int hz = Math.max(1, Math.min(500, server.config().getInt("hz")));
        long limitNs = 1_000_000_000L / hz * (25 + 2 * effort) / 100;
        int stalePercent = 10 - effort;
        int keysPerPass = 20 + 5 * effort;
        int slotsPerPass = keysPerPass * 20; // bounds the walk over slots without an expiry
        long now = server.clock().millis();
        long start = System.nanoTime();
        long[] ttlSum = new long[ks.databases()], ttlSamples = new long[ks.databases()];
        // Hash fields: at most 10000 a second, as Redis's HFE_DB_BASE_ACTIVE_EXPIRE_FIELDS_PER_SEC.
        fieldQuota = Math.max(1, 10_000 / hz);
        if (fieldView == null) fieldView = new Database(ks);
        try {
            sweepShards(ks, now, start, limitNs, slotsPerPass, stalePercent, ttlSum, ttlSamples);
        } finally {
            for (int db = 0; db < ks.databases(); db++) {
                if (ttlSamples[db] > 0) ks.sampleTtl(db, ttlSum[db], ttlSamples[db]);
                else if (ks.ttlCount(db) == 0) ks.resetAvgTtl(db); // a lock-free read: a moment's figure
            }
        }
    }

    private void sweepShards(Keyspace ks, long now, long start, long limitNs, int slotsPerPass, int stalePercent,
                             long[] ttlSum, long[] ttlSamples) {
        int shards = ks.shardCount();
        for (int n = 0; n < shards; n++) {
            int i = (expireShard + n) & (shards - 1);
            Shard s = ks.shard(i);
            if (!s.lock.tryLock()) continue;
            try {
                for (int db = 0; db < ks.databases(); db++) {
                    KeyTable t = s.tableIfPresent(db);
                    if (t == null) continue;
                    if (fieldQuota > 0 && t.hasFieldExpiry())
                        fieldQuota -= HashOps.activeExpire(fieldView.at(db, now), t, now, fieldQuota);
                    if (t.ttlCount() == 0) continue;
                    final int d = db;
                    KeyTable.ExpiredKeySink sink = (table, page, ko, kl) -> ks.keyExpired(s, d, page, ko, kl);
                    while (true) {
                        int removed = t.sweepExpired(now, slotsPerPass, sink);
                        int sampled = t.lastSweepSampled();
                        ttlSum[db] += t.lastSweepTtlSum();
                        ttlSamples[db] += sampled - removed;
                        if (sampled == 0 || removed * 100 <= sampled * stalePercent) break;
                        if (System.nanoTime() - start > limitNs) break;
                    }
                }
            } finally {
                s.lock.unlock();
            }
            if (System.nanoTime() - start > limitNs) {
                expireShard = (i + 1) & (shards - 1);
                return;
            }
        }
    }

    private void sample() {
        long nowNs = System.nanoTime();
        long ops = server.stats().commandsProcessed.sum();
        long in = server.stats().netInputBytes.sum();
        long out = server.stats().netOutputBytes.sum();
        if (lastSampleNs != 0) {
            double secs = (nowNs - lastSampleNs) / 1e9;
            if (secs > 0) {
                opsPerSec = (long) ((ops - lastOps) / secs);
                inKbps = (in - lastIn) / secs / 1024;
                outKbps = (out - lastOut) / secs / 1024;
            }
        }
        lastSampleNs = nowNs;
        lastOps = ops;
        lastIn = in;
        lastOut = out;
    }

    private void clientTimeouts() {
        long timeout = server.config().getLong("timeout");
        if (timeout <= 0) return;
        long now = server.clock().millis();
        for (ClientSession c : server.clients().all()) {
            if ((now - c.lastInteractionMs) / 1000 > timeout) {
                io.jackdaw.common.Log.verbose("Closing idle client");
                c.kill();
            }
        }
    }

    long opsPerSec() { return opsPerSec; }

    double inputKbps() { return inKbps; }

    double outputKbps() { return outKbps; }
}
