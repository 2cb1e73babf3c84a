package io.jackdaw.store;

import io.jackdaw.types.Bytes;

/**
 * One client's view of one database for the command it is running: finds keys (expiring
 * them lazily at the command's clock snapshot), and remembers the record it found so the
 * typed operations can read it without allocating. One instance per connection, reused.
 * The caller holds the locks of every shard it touches.
 */
public final class Database {
    private final Keyspace keyspace;
    private int db;
    private long now;

    // Shards the dispatcher already computed for this command's key arguments, so a key's
    // CRC16 is taken once per command rather than once for locking and again for the look-up.
    private byte[] hintData;
    private final int[] hintOff = new int[8], hintLen = new int[8], hintShard = new int[8];
    private int hints;

    private KeyTable table;
    private Shard foundShard;
    private int slot = -1;
    private byte[] page;
    private int rec;
    private boolean noTouch;
    // The found string as bytes (stringBytes): where it lies, or an integer printed into digits.
    private final byte[] digits = new byte[20];
    private int stringOff, stringLen;

    public Database(Keyspace keyspace) { this.keyspace = keyspace; }

    /** Binds the view to a database and the command's clock snapshot. */
    public Database at(int db, long now) {
        this.db = db;
        this.now = now;
        this.slot = -1;
        this.hints = 0;
        this.hintData = null;
        this.noTouch = false;
        return this;
    }

    /** A client in CLIENT NO-TOUCH mode reads without recording accesses. */
    public void noTouch(boolean on) { this.noTouch = on; }

    /** Whether the found integer value is one Redis would keep in a private object (see KeyTable). */
    public boolean foundUnshared() { return KeyTable.unshared(page, rec); }

    /** Marks the just-written value as held privately (COPY's duplicate of a small integer). */
    public void markFoundUnshared() { KeyTable.markUnshared(page, rec); }

    /** Overwrites the found (or just written) record's access field. */
    public void setAccessFound(int access) { KeyTable.setAccess(page, rec, access); }

    /** The found record's access field (see {@link AccessTracking}). */
    public int accessField() { return KeyTable.access(page, rec); }

    /** Records that the key at data[off, off+len) lives in the given shard (valid for this command). */
    public void hintShard(byte[] data, int off, int len, int shard) {
        if (hintData != data) {
            hintData = data;
            hints = 0;
        }
        if (hints < hintOff.length) {
            hintOff[hints] = off;
            hintLen[hints] = len;
            hintShard[hints++] = shard;
        }
    }

    public int index() { return db; }

    public long now() { return now; }

    public Keyspace keyspace() { return keyspace; }

    private Shard shardFor(byte[] k, int off, int len) {
        if (k == hintData) {
            for (int i = 0; i < hints; i++) {
                if (hintOff[i] == off && hintLen[i] == len) return keyspace.shard(hintShard[i]);
            }
        }
        return keyspace.shard(keyspace.shardOf(k, off, len));
    }

    private KeyTable tableFor(byte[] k, int off, int len) { return shardFor(k, off, len).table(db); }

    /** Positions on a live key and records the access; false (and the key removed) when absent or expired. */
    public boolean find(byte[] k, int off, int len) {
        if (!findNoTouch(k, off, len)) return false;
        if (!noTouch) KeyTable.setAccess(page, rec, keyspace.access().touched(KeyTable.access(page, rec), now));
        return true;
    }

    /**
     * As {@link #find} without recording an access, for commands Redis runs in no-touch mode
     * (TYPE, EXISTS, TTL, OBJECT, SCAN's filter): they must not change OBJECT IDLETIME.
     */
    public boolean findNoTouch(byte[] k, int off, int len) {
        Shard sh = shardFor(k, off, len);
        KeyTable t = sh.table(db);
        long hash = Bytes.hash(k, off, len);
        int s = t.lookup(k, off, len, hash);
        if (s >= 0 && t.hasTtl(s)) {
            int ref = t.refAt(s);
            byte[] p = t.page(ref);
            if (KeyTable.isExpired(KeyTable.expireAt(p, KeyTable.offset(ref)), now)) {
                if (keyspace.expiryPaused(now)) { // CLIENT PAUSE: logically gone, deleted after the pause
                    table = t;
                    slot = -1;
                    return false;
                }
                t.removeAt(s);
                keyspace.keyExpired(sh, db, k, off, len);
                s = -1;
            }
        }
        table = t;
        foundShard = sh;
        slot = s;
        if (s < 0) return false;
        int ref = t.refAt(s);
        page = t.page(ref);
        rec = KeyTable.offset(ref);
        return true;
    }

    /** Positions on a key even if it has expired, without removing it (DEBUG OBJECT, as Redis's raw dict look-up). */
    public boolean findNoExpire(byte[] k, int off, int len) {
        Shard sh = shardFor(k, off, len);
        KeyTable t = sh.table(db);
        int s = t.lookup(k, off, len, Bytes.hash(k, off, len));
        table = t;
        foundShard = sh;
        slot = s;
        if (s < 0) return false;
        int ref = t.refAt(s);
        page = t.page(ref);
        rec = KeyTable.offset(ref);
        return true;
    }

    // ------------------------------------------------------------ the found record

    public int type() { return KeyTable.type(page, rec); }

    public byte[] valuePage() { return page; }

    public int valueOffset() { return KeyTable.valueOffset(page, rec); }

    public int valueLength() { return KeyTable.valueLength(page, rec); }

    /**
     * The found string's bytes without copying them: the page they lie in, or for an
     * integer-encoded value its digits in a buffer this view reuses (valid until the next
     * call). Offset and length come from {@link #stringOffset()} and {@link #stringLength()}.
     */
    public byte[] stringBytes() {
        if (type() == ValueType.STRING_INT) {
            stringOff = 0;
            stringLen = Bytes.writeLong(digits, 0, longValue());
            return digits;
        }
        stringOff = valueOffset();
        stringLen = valueLength();
        return page;
    }

    public int stringOffset() { return stringOff; }

    public int stringLength() { return stringLen; }

    /** The 64-bit value of a {@link ValueType#STRING_INT} record. */
    public long longValue() { return Bytes.getLong(page, KeyTable.valueOffset(page, rec)); }

    /** Absolute expiry in ms of the found key, or -1. */
    public long expireAt() { return KeyTable.expireAt(page, rec); }

    /** Removes the found key. */
    public void deleteFound() {
        // A waiting XREADGROUP is re-run when its key goes (Redis's signalDeletedKeyAsReady).
        Shard sh = foundShard;
        if (sh == null && keyspace.blockingKeys() != 0) {
            byte[] k = foundKey();
            sh = keyspace.shard(keyspace.shardOf(k, 0, k.length));
        }
        if (sh != null && !sh.blocked.isEmpty()) {
            byte[] k = foundKey();
            sh.blocked.signal(db, k, 0, k.length);
        }
        table.removeAt(slot);
        slot = -1;
    }

    /** Sets (or with -1 clears) the found key's expiry. */
    public void setExpireFound(long expireAt) {
        table.setExpire(slot, expireAt);
        int ref = table.refAt(slot);
        page = table.page(ref);
        rec = KeyTable.offset(ref);
    }

    // ------------------------------------------------------------ writes

    /** Stores bytes under a key, replacing whatever was there. */
    public void put(byte[] k, int kOff, int kLen, int type, byte[] v, int vOff, int vLen, long expireAt) {
        Shard shard = shardFor(k, kOff, kLen);
        KeyTable t = shard.table(db);
        if (!shard.blocked.isEmpty()) shard.blocked.signal(db, k, kOff, kLen);
        int before = t.size();
        int ref = t.put(k, kOff, kLen, Bytes.hash(k, kOff, kLen), type, v, vOff, vLen, expireAt,
                keyspace.access().initial(now));
        position(t, ref);
        if (t.size() > before) keyspace.keyAdded(db, k, kOff, kLen);
    }

    /** Stores {@code len} zero bytes under a key, replacing whatever was there. */
    public void putZeros(byte[] k, int kOff, int kLen, int type, int len, long expireAt) {
        KeyTable t = tableFor(k, kOff, kLen);
        int before = t.size();
        int ref = t.putZeros(k, kOff, kLen, Bytes.hash(k, kOff, kLen), type, len, expireAt,
                keyspace.access().initial(now));
        position(t, ref);
        if (t.size() > before) keyspace.keyAdded(db, k, kOff, kLen);
    }

    /**
     * Lengthens the found key's value to {@code newLen} bytes (zeros after the old ones) and sets
     * its type; expiry kept. The view stays on the key, so its bytes can then be edited in place.
     */
    public void growFound(int type, int newLen) {
        int s = slot;
        KeyTable t = table;
        position(t, t.growValue(s, type, newLen));
        slot = s;
    }

    /** Changes the found record's type code in place (a string edited in place becomes STRING_MODIFIED). */
    public void setFoundType(int type) {
        page[rec + KeyTable.H_TYPE] = (byte) type;
    }

    /**
     * Queues a key edited in place as ready for its blocked clients (a stream that got an entry:
     * unlike lists, a non-empty stream can have waiters).
     */
    public void signalReady(byte[] k, int kOff, int kLen) {
        Shard shard = shardFor(k, kOff, kLen);
        if (!shard.blocked.isEmpty()) shard.blocked.signal(db, k, kOff, kLen);
    }

    /** Stores a value object (a large collection) under a key, replacing whatever was there. */
    public void putObject(byte[] k, int kOff, int kLen, int type, io.jackdaw.types.ValueObject value, long expireAt) {
        Shard shard = shardFor(k, kOff, kLen);
        KeyTable t = shard.table(db);
        // A key clients wait on got a value: they are served before this command's locks go.
        if (!shard.blocked.isEmpty()) shard.blocked.signal(db, k, kOff, kLen);
        int before = t.size();
        int ref = t.putObject(k, kOff, kLen, Bytes.hash(k, kOff, kLen), type, value, expireAt,
                keyspace.access().initial(now));
        position(t, ref);
        if (t.size() > before) keyspace.keyAdded(db, k, kOff, kLen);
    }

    /**
     * MEMORY USAGE of the found key: its record, its index slot (8 bytes at the table's
     * 3/4 load, so ~11) and its value object. Exact for our layout, where Redis estimates.
     */
    public long foundMemoryUsage() {
        long n = KeyTable.recordFootprint(page, rec) + 11;
        if (foundHoldsObject()) n += foundObject().memoryBytes();
        return n;
    }

    /** Whether the found record holds a value object. */
    public boolean foundHoldsObject() { return KeyTable.holdsObject(page, rec); }

    /** The found record's value object (only when {@link #foundHoldsObject}). */
    public io.jackdaw.types.ValueObject foundObject() { return table.object(page, rec); }

    /** Tells the store that the found value object changed size (memory accounting). */
    public void foundObjectResized() { table.objectResized(page, rec); }

    /** Stores an integer-encoded string under a key. */
    public void putLong(byte[] k, int kOff, int kLen, long value, long expireAt) {
        KeyTable t = tableFor(k, kOff, kLen);
        int before = t.size();
        int ref = t.putLong(k, kOff, kLen, Bytes.hash(k, kOff, kLen), ValueType.STRING_INT, value, expireAt,
                keyspace.access().initial(now));
        position(t, ref);
        if (t.size() > before) keyspace.keyAdded(db, k, kOff, kLen);
    }

    private void position(KeyTable t, int ref) {
        table = t;
        slot = -1; // a later find() re-resolves the slot; the record is what callers read
        page = t.page(ref);
        rec = KeyTable.offset(ref);
        // Under LRU a written value is accessed now; under LFU a replaced value keeps the old
        // counter, as Redis carries it over on overwrite.
        AccessTracking a = keyspace.access();
        if (!a.lfu()) KeyTable.setAccess(page, rec, a.initial(now));
    }

    /**
     * The found key's value detached from its record, to be stored under another name or in
     * another database (RENAME, MOVE, COPY): its bytes, or its value object, with the type,
     * expiry and access field. Handles belong to one table, so objects travel as themselves.
     */
    public record Detached(int type, long expireAt, byte[] bytes, io.jackdaw.types.ValueObject object, int access,
                           boolean unshared) {}

    /**
     * Detaches the found value. {@code duplicate} makes it a copy that shares nothing with the
     * original (COPY; Redis duplicates the object, so even a shared small integer becomes private).
     */
    public Detached detachFound(boolean duplicate) {
        io.jackdaw.types.ValueObject object = null;
        byte[] bytes = null;
        if (foundHoldsObject()) object = duplicate ? foundObject().duplicate() : foundObject();
        else bytes = java.util.Arrays.copyOfRange(page, valueOffset(), valueOffset() + valueLength());
        return new Detached(type(), expireAt(), bytes, object, accessField(), duplicate || foundUnshared());
    }

    /**
     * Stores a detached value under a key, replacing whatever was there; {@code sameObject}
     * keeps its access field, as Redis keeps the object when a key is renamed or moved.
     */
    public void putDetached(byte[] k, int off, int len, Detached v, boolean sameObject) {
        if (v.object() != null) putObject(k, off, len, v.type(), v.object(), v.expireAt());
        else put(k, off, len, v.type(), v.bytes(), 0, v.bytes().length, v.expireAt());
        // Field expiries travel with the value; the active cycle files the hash under its
        // earliest one on its next pass.
        if (HashOps.hasFieldExpiry(v.type(), v.object())) registerFieldExpiry(k, off, len, 0);
        if (sameObject) setAccessFound(v.access());
        if (v.unshared()) markFoundUnshared();
    }

    /** Files a hash key in its table's field expiry index under a time at or before its earliest field expiry. */
    public void registerFieldExpiry(byte[] k, int off, int len, long when) {
        tableFor(k, off, len).fieldExpiry().register(k, off, len, when);
    }

    /** Positions on the key stored at a table slot (used by RANDOMKEY and scans). */
    public void positionAt(KeyTable t, int s) {
        int ref = t.refAt(s);
        table = t;
        foundShard = null; // found by position: the shard is worked out if a delete needs it
        slot = s;
        page = t.page(ref);
        rec = KeyTable.offset(ref);
    }

    /** The found key's bytes (a copy). */
    public byte[] foundKey() {
        int ko = KeyTable.keyOffset(page, rec);
        return java.util.Arrays.copyOfRange(page, ko, ko + KeyTable.keyLength(page, rec));
    }

    /** Removes a key; false when it was absent (or already expired). */
    public boolean delete(byte[] k, int off, int len) {
        if (!find(k, off, len)) return false;
        deleteFound();
        return true;
    }

    /** Keys in this database. */
    public long size() { return keyspace.size(db); }
}
