package io.jackdaw.store;

import io.jackdaw.types.Crc64;
import io.jackdaw.types.RdbOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A point-in-time dump.rdb taken while clients go on writing, without fork and without a copy
 * of the dataset (Dragonfly's versioned snapshot, at the granularity of a shard).
 *
 * <pre>
 *   T: installed under every shard lock          writer thread: shard 0, 1, 2 ... each under its lock
 *   a write locking shard s not yet written  --> serializes s first ({@link #beforeWrite}), then changes it
 * </pre>
 *
 * So every shard is written as it was at T, and the only extra memory is the serialized bytes of
 * shards that writers reached before the writer thread did. The file holds one SELECTDB section
 * per shard and database (Redis's loader, and ours, accept a database selected again). Removals
 * by expiry (lazy or active) pass no barrier: a key removed that way had expired, and a load after
 * T would drop it too.
 */
public final class VersionedSnapshot {
    private final Keyspace ks;
    private final RdbFile.SaveOptions opt;
    private final List<byte[]> libraries;
    private final long nowMs;
    /** Per shard, its bytes when a writer serialized it early; read and written under the shard's lock. */
    private final byte[][] early;
    private final boolean[] done;
    /** Keys in each early-captured shard, for the progress figures and rdb-key-save-delay. */
    private final int[] earlyKeys;
    private final RdbOutput out, scratch;
    private final Database view;
    private volatile long keysProcessed;
    private final long keysTotal;

    /** Starts a snapshot: the caller holds every shard lock (this is time T) and installs it with {@link Keyspace#startSnapshot}. */
    public VersionedSnapshot(Keyspace ks, RdbFile.SaveOptions opt, RdbFile.Functions functions, long nowMs) {
        this.ks = ks;
        this.opt = opt;
        this.nowMs = nowMs;
        this.libraries = new ArrayList<>();
        for (byte[] lib : functions.libraries()) libraries.add(lib);
        this.early = new byte[ks.shardCount()][];
        this.done = new boolean[ks.shardCount()];
        this.earlyKeys = new int[ks.shardCount()];
        this.out = new RdbOutput(1 << 16, opt.compress());
        this.scratch = new RdbOutput(1 << 12, opt.compress());
        this.view = new Database(ks);
        long total = 0;
        for (int db = 0; db < ks.databases(); db++) total += ks.size(db);
        this.keysTotal = total;
    }

    public long keysProcessed() { return keysProcessed; }

    public long keysTotal() { return keysTotal; }

    /** A writer holds shard {@code s}'s lock and is about to change it: capture the shard first if the file has not. */
    void beforeWrite(Shard s) {
        if (done[s.index]) return;
        done[s.index] = true;
        // The writer's own buffers: the writer thread may be serializing another shard right now.
        RdbOutput o = new RdbOutput(1 << 12, opt.compress());
        earlyKeys[s.index] = serialize(s, o, new RdbOutput(1 << 12, opt.compress()), new Database(ks));
        early[s.index] = java.util.Arrays.copyOf(o.buffer(), o.size());
    }

    /**
     * Writes the file (through a temporary file and a rename) on the calling thread, shard by
     * shard; {@code keyDelayMicros} (rdb-key-save-delay, read again for every key so that a test
     * can hold the snapshot open and then let it go) slows it per key, outside the locks.
     * Uninstalls itself from the keyspace at the end, failed or not.
     */
    public void writeTo(Path target, java.util.function.LongSupplier keyDelayMicros) throws IOException {
        try {
            RdbFile.replaceAtomically(target, file -> {
                long crc = 0;
                RdbOutput head = new RdbOutput(1 << 12, opt.compress());
                RdbFile.header(head, opt, new RdbFile.Functions() {
                    @Override public Iterable<byte[]> libraries() { return libraries; }

                    @Override public void load(byte[] code, boolean replace) { throw new UnsupportedOperationException(); }
                }, nowMs);
                crc = Crc64.update(crc, head.buffer(), 0, head.size());
                file.write(head.buffer(), 0, head.size());
                for (int i = 0; i < ks.shardCount(); i++) {
                    Shard s = ks.shard(i);
                    byte[] bytes;
                    int keys;
                    s.lock.lock();
                    try {
                        if (done[i]) {
                            bytes = early[i];
                            early[i] = null;
                            keys = earlyKeys[i];
                        } else {
                            done[i] = true;
                            out.reset();
                            keys = serialize(s, out, scratch, view);
                            bytes = null;
                        }
                    } finally {
                        s.lock.unlock();
                    }
                    byte[] b = bytes != null ? bytes : out.buffer();
                    int n = bytes != null ? bytes.length : out.size();
                    crc = Crc64.update(crc, b, 0, n);
                    file.write(b, 0, n);
                    keysProcessed += keys;
                    for (int k = 0; k < keys; k++) {
                        // Sleeps the setting's time per key, looking at it again at least every 10 ms.
                        long waited = 0, d;
                        while ((d = keyDelayMicros.getAsLong()) > waited) {
                            long step = Math.min(d - waited, 10_000);
                            LockSupport.parkNanos(step * 1000L);
                            waited += step;
                        }
                        if (d <= 0) break;
                    }
                }
                file.write(RdbFile.footer(crc, opt));
            });
        } finally {
            ks.endSnapshot(this);
        }
    }

    /** One shard: per database with keys here, SELECTDB and each key; returns the keys written. The caller holds the shard's lock. */
    private int serialize(Shard s, RdbOutput o, RdbOutput sc, Database v) {
        int keys = 0;
        for (int db = 0; db < ks.databases(); db++) {
            KeyTable t = s.tableIfPresent(db);
            if (t == null || t.size() == 0) continue;
            o.writeByte(RdbFile.OP_SELECTDB);
            o.writeLength(db);
            v.at(db, nowMs);
            v.noTouch(true);
            for (int slot = 0, n = t.capacity(); slot < n; slot++) {
                if (!t.occupied(slot)) continue;
                v.positionAt(t, slot);
                RdbFile.entry(o, sc, v, ks, opt, nowMs);
                keys++;
            }
        }
        return keys;
    }
}
