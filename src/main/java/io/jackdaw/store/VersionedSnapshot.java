package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.Crc64;
import io.jackdaw.types.RdbOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A point-in-time dump.rdb taken while clients go on writing, without fork and without a copy
 * of the dataset (Dragonfly's versioned snapshot, by key within a shard).
 *
 * <pre>
 *   T: installed under every shard lock          writer thread: shard 0, 1, 2 ... each under its lock
 *   a write to key k in a shard not yet written --> k's value at T goes to the shard's capture
 *                                                   ({@link #beforeWriteKey}) and k is skipped later
 *   a write whose keys are not known (FLUSHALL, MOVE, eviction by shard...) --> the whole shard first
 * </pre>
 *
 * So every key is written as it was at T (a key created after T was absent then: its capture is
 * empty), and the extra memory is the serialized old values of the keys written during the save.
 * Serializing a whole shard on a client's thread cost that client milliseconds (4K keys of 100 B
 * at 1M keys), and under random writes every shard was reached by a client first; capturing by
 * key costs one value. The file holds one SELECTDB section per shard and database, then the
 * shard's captured keys (Redis's loader, and ours, accept a database selected again). Removals by
 * expiry (lazy or active) pass no barrier: a key removed that way had expired, and a load after
 * T would drop it too.
 */
public final class VersionedSnapshot {
    private final Keyspace ks;
    private final RdbFile.SaveOptions opt;
    private final boolean commands;
    private final List<byte[]> libraries;
    private final long nowMs;
    /** Per shard, what writers captured before the writer thread reached it; used under the shard's lock only. */
    private final Capture[] captures;
    private final boolean[] done;
    private final RdbOutput out, scratch;
    private final Database view;
    private volatile long keysProcessed;
    private final long keysTotal;

    /** A key of one database, compared by content. */
    private record KeyRef(int db, byte[] key, int hash) {
        static KeyRef of(int db, byte[] k, int off, int len) {
            return owning(db, java.util.Arrays.copyOfRange(k, off, off + len));
        }

        /** Takes the array as it is (a copy already made for us). */
        static KeyRef owning(int db, byte[] key) {
            return new KeyRef(db, key, java.util.Arrays.hashCode(key) * 31 + db);
        }

        @Override public boolean equals(Object o) {
            return o instanceof KeyRef r && r.db == db && java.util.Arrays.equals(r.key, key);
        }

        @Override public int hashCode() { return hash; }
    }

    /** One shard's early writes: the keys already captured (present at T or not) and their entries at T. */
    private final class Capture {
        final java.util.Set<KeyRef> keys = new java.util.HashSet<>();
        final RdbOutput entries = new RdbOutput(1 << 10, opt.compress());
        final RdbOutput sc = new RdbOutput(1 << 10, opt.compress());
        final Database v = new Database(ks);
        int selectedDb = -1;
        int count;

        /** Appends the key's entry as it is now (still as at T), after a SELECTDB when the database changes. */
        void add(int db, KeyTable t, int slot) {
            if (db != selectedDb) {
                select(entries, db);
                selectedDb = db;
            }
            v.at(db, nowMs);
            v.noTouch(true);
            v.positionAt(t, slot);
            entry(entries, sc, v);
            count++;
        }
    }

    /**
     * Starts a snapshot: the caller holds every shard lock (this is time T) and installs it with
     * {@link Keyspace#startSnapshot}. With {@code commands} the file is the commands that rebuild
     * the data ({@link CommandForm}: an AOF base under aof-use-rdb-preamble no), else an RDB file.
     */
    public VersionedSnapshot(Keyspace ks, RdbFile.SaveOptions opt, RdbFile.Functions functions, long nowMs, boolean commands) {
        this.ks = ks;
        this.opt = opt;
        this.commands = commands;
        this.nowMs = nowMs;
        this.libraries = new ArrayList<>();
        for (byte[] lib : functions.libraries()) libraries.add(lib);
        this.captures = new Capture[ks.shardCount()];
        this.done = new boolean[ks.shardCount()];
        this.out = new RdbOutput(1 << 16, opt.compress());
        this.scratch = new RdbOutput(1 << 12, opt.compress());
        this.view = new Database(ks);
        long total = 0;
        for (int db = 0; db < ks.databases(); db++) total += ks.size(db);
        this.keysTotal = total;
    }

    public long keysProcessed() { return keysProcessed; }

    public long keysTotal() { return keysTotal; }

    private Capture capture(Shard s) {
        Capture c = captures[s.index];
        if (c == null) captures[s.index] = c = new Capture();
        return c;
    }

    /** A writer holds shard {@code s}'s lock and is about to change key {@code k} of database {@code db}: keep its value at T first. */
    void beforeWriteKey(Shard s, int db, byte[] k, int off, int len) {
        if (done[s.index]) return;
        Capture c = capture(s);
        if (!c.keys.add(KeyRef.of(db, k, off, len))) return; // captured before: what is there now is no longer T's
        KeyTable t = s.tableIfPresent(db);
        if (t == null) return;
        int slot = t.lookup(k, off, len, Bytes.hash(k, off, len));
        if (slot >= 0) c.add(db, t, slot);
    }

    /** A writer holds shard {@code s}'s lock and may change any key in it: capture the whole shard first if the file has not. */
    void beforeWrite(Shard s) {
        if (done[s.index]) return;
        done[s.index] = true;
        Capture c = capture(s);
        // The capture's own buffers: the writer thread may be serializing another shard right now.
        c.count += serialize(s, c.entries, c.sc, c.v, c.keys);
        c.selectedDb = -1; // a later capture selects its database again
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
                if (commands) {
                    for (byte[] lib : libraries) CommandForm.functionLoad(head, lib);
                } else {
                    RdbFile.header(head, opt, new RdbFile.Functions() {
                        @Override public Iterable<byte[]> libraries() { return libraries; }

                        @Override public void load(byte[] code, boolean replace) { throw new UnsupportedOperationException(); }
                    }, nowMs);
                }
                crc = Crc64.update(crc, head.buffer(), 0, head.size());
                file.write(head.buffer(), 0, head.size());
                for (int i = 0; i < ks.shardCount(); i++) {
                    out.reset();
                    ShardWalk w = new ShardWalk(ks.shard(i));
                    while (!w.slice()) {
                        keysProcessed += w.sliceKeys;
                        keyDelay(keyDelayMicros, w.sliceKeys);
                    }
                    keysProcessed += w.sliceKeys;
                    crc = Crc64.update(crc, out.buffer(), 0, out.size());
                    file.write(out.buffer(), 0, out.size());
                    keyDelay(keyDelayMicros, w.sliceKeys);
                }
                if (!commands) file.write(RdbFile.footer(crc, opt));
            });
        } finally {
            ks.endSnapshot(this);
        }
    }

    /** How long the writer thread holds a shard's lock at a time: clients wait at most about this long for it. */
    private static final long SLICE_NANOS = 300_000;

    /**
     * The writer thread's walk of one shard into {@link #out}, in slices of at most
     * {@link #SLICE_NANOS} under the shard's lock. Between slices clients may write: each key
     * the walk wrote is in the shard's capture set, so a writer does not capture it again and a
     * key a writer captured is not written again. A table whose keys moved between slices (a
     * resize, a removal's back shift) is walked again from its first slot, the set skipping what
     * was written.
     */
    private final class ShardWalk {
        final Shard s;
        int db, slot, layout = -1, selected = -1;
        KeyTable table;
        int sliceKeys;

        ShardWalk(Shard s) { this.s = s; }

        /** One slice; true when the shard is finished (its captures appended, marked done). */
        boolean slice() {
            sliceKeys = 0;
            s.lock.lock();
            try {
                int i = s.index;
                Capture c = capture(s);
                if (done[i]) { // a whole-shard capture ran between two slices
                    finish(c);
                    return true;
                }
                long deadline = System.nanoTime() + SLICE_NANOS;
                for (; db < ks.databases(); db++, slot = 0, table = null) {
                    KeyTable t = s.tableIfPresent(db);
                    if (t == null || t.size() == 0) continue;
                    if (t != table || t.layoutVersion() != layout) { // a new table, or its keys moved: from the top
                        if (t != table && selected != db) {
                            select(out, db);
                            selected = db;
                        }
                        table = t;
                        layout = t.layoutVersion();
                        slot = 0;
                    }
                    view.at(db, nowMs);
                    view.noTouch(true);
                    for (int n = t.capacity(); slot < n; slot++) {
                        if (!t.occupied(slot)) continue;
                        view.positionAt(t, slot);
                        if (!c.keys.add(KeyRef.owning(db, view.foundKey()))) continue; // captured by a writer
                        entry(out, scratch, view);
                        sliceKeys++;
                        if ((sliceKeys & 31) == 0 && System.nanoTime() > deadline) {
                            slot++;
                            return false;
                        }
                    }
                }
                done[i] = true;
                finish(c);
                return true;
            } finally {
                s.lock.unlock();
                Thread.yield(); // one core shared with clients: let them in between slices (0.34 -> 0.56 of their rate)
            }
        }

        /** Appends what writers captured in this shard; the shard is done. */
        private void finish(Capture c) {
            out.writeRaw(c.entries.buffer(), 0, c.entries.size());
            sliceKeys += c.count;
            captures[s.index] = null;
        }
    }

    private void select(RdbOutput o, int db) {
        if (commands) {
            CommandForm.select(o, db);
        } else {
            o.writeByte(RdbFile.OP_SELECTDB);
            o.writeLength(db);
        }
    }

    /** The key at the view's position, in the file's form. */
    private void entry(RdbOutput o, RdbOutput sc, Database v) {
        if (commands) CommandForm.entry(o, v);
        else RdbFile.entry(o, sc, v, ks, opt, nowMs);
    }

    /** rdb-key-save-delay: sleeps the setting's time per key written, looking at it again at least every 10 ms. */
    private static void keyDelay(java.util.function.LongSupplier keyDelayMicros, int keys) {
        for (int k = 0; k < keys; k++) {
            long waited = 0, d;
            while ((d = keyDelayMicros.getAsLong()) > waited) {
                long step = Math.min(d - waited, 10_000);
                LockSupport.parkNanos(step * 1000L);
                waited += step;
            }
            if (d <= 0) return;
        }
    }

    /**
     * One shard: per database with keys here, SELECTDB and each key not in {@code captured}
     * (already written on its own); returns the keys written. The caller holds the shard's lock.
     */
    private int serialize(Shard s, RdbOutput o, RdbOutput sc, Database v, java.util.Set<KeyRef> captured) {
        java.util.Set<KeyRef> skip = captured == null || captured.isEmpty() ? null : captured;
        int keys = 0;
        for (int db = 0; db < ks.databases(); db++) {
            KeyTable t = s.tableIfPresent(db);
            if (t == null || t.size() == 0) continue;
            select(o, db);
            v.at(db, nowMs);
            v.noTouch(true);
            for (int slot = 0, n = t.capacity(); slot < n; slot++) {
                if (!t.occupied(slot)) continue;
                v.positionAt(t, slot);
                if (skip != null) {
                    byte[] key = v.foundKey();
                    if (skip.contains(KeyRef.of(db, key, 0, key.length))) continue;
                }
                entry(o, sc, v);
                keys++;
            }
        }
        return keys;
    }
}
