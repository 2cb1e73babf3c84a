package io.jackdaw.store;

import io.jackdaw.types.HyperLogLog;

/**
 * HyperLogLog operations over string values: reading the found value as an HLL with Redis's
 * validity checks, and storing an edited one back. Values are edited on a working copy
 * ({@link HyperLogLog}) and written back as a raw ({@link ValueType#STRING_MODIFIED}) string,
 * expiry kept, as Redis's in-place edit leaves them.
 */
public final class HyperLogLogOps {
    private HyperLogLogOps() {}

    /** Status codes: not a string; a string that is not a valid HLL. */
    public static final int OK = 0, WRONGTYPE = 1, NOT_HLL = 2;

    /** Whether the found value is a string that passes Redis's HLL checks (else {@link #NOT_HLL} or {@link #WRONGTYPE}). */
    public static int check(Database db) {
        int type = db.type();
        if (!ValueType.isString(type)) return WRONGTYPE;
        // An integer-encoded string is never an HLL (Redis: not sds-encoded).
        if (type == ValueType.STRING_INT) return NOT_HLL;
        return HyperLogLog.isValid(db.valuePage(), db.valueOffset(), db.valueLength()) ? OK : NOT_HLL;
    }

    /** A working copy of the found value, which {@link #check} accepted. */
    public static HyperLogLog load(Database db) {
        return HyperLogLog.of(db.valuePage(), db.valueOffset(), db.valueLength());
    }

    /**
     * A view on the found value without a copy: dense updates land in the stored bytes (the
     * caller then marks the value edited); a sparse update detaches it onto a copy to store.
     */
    public static HyperLogLog view(Database db) {
        return HyperLogLog.view(db.valuePage(), db.valueOffset(), db.valueLength());
    }

    /** Stores an HLL under the key as a raw string with the given expiry. */
    public static void store(Database db, byte[] k, int kOff, int kLen, HyperLogLog h, long expireAt) {
        db.put(k, kOff, kLen, ValueType.STRING_MODIFIED, h.bytes(), h.offset(), h.length(), expireAt);
    }

    /**
     * Stores an HLL over the found key, keeping its expiry and its LRU/LFU field: Redis edits
     * the same key entry, so OBJECT IDLETIME/FREQ carry on.
     */
    public static void storeOverFound(Database db, byte[] k, int kOff, int kLen, HyperLogLog h) {
        long expireAt = db.expireAt();
        int access = db.accessField();
        db.put(k, kOff, kLen, ValueType.STRING_MODIFIED, h.bytes(), h.offset(), h.length(), expireAt);
        db.setAccessFound(access);
    }

    /** Writes a cardinality into the found value's header cache in place (PFCOUNT). */
    public static void writeCachedCard(Database db, long card) {
        io.jackdaw.types.Bytes.putLong(db.valuePage(), db.valueOffset() + HyperLogLog.CARD_OFFSET, card);
        if (db.type() != ValueType.STRING_MODIFIED) db.setFoundType(ValueType.STRING_MODIFIED);
    }

    /** Marks the found value raw, as Redis's dbUnshareStringValue does on every PF* touch. */
    public static void unshare(Database db) {
        if (db.type() != ValueType.STRING_MODIFIED) db.setFoundType(ValueType.STRING_MODIFIED);
    }
}
