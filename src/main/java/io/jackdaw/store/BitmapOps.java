package io.jackdaw.store;

import io.jackdaw.types.Bits;
import io.jackdaw.types.Bytes;

/**
 * Bitmap operations over string values (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD),
 * with Redis's rules for ranges and for how a value changes: every write leaves the value a
 * {@link ValueType#STRING_MODIFIED} string (Redis's "raw" buffer), grown with zero bytes as
 * far as the highest bit written, edited in place, its expiry kept. Read operations work on
 * the record the database view has found; the command layer looks keys up, so that it can
 * count hits and misses and order its errors as Redis does.
 */
public final class BitmapOps {
    private BitmapOps() {}

    /** OK_GREW: the write created the key or lengthened it, a change whatever the bits become. */
    public static final int OK = 0, WRONGTYPE = 1, OK_GREW = 2;

    /** BITOP operations. */
    public static final int AND = 0, OR = 1, XOR = 2, NOT = 3;

    // ------------------------------------------------------------ the found string's bytes


    // ------------------------------------------------------------ reading

    /** GETBIT on the found string. */
    public static int getBit(Database db, long pos) {
        byte[] b = db.stringBytes();
        return Bits.get(b, db.stringOffset(), db.stringLength(), pos);
    }

    /** BITCOUNT of the whole found string. */
    public static long bitCount(Database db) {
        byte[] b = db.stringBytes();
        return Bits.popcount(b, db.stringOffset(), 0, db.stringLength());
    }

    /**
     * BITCOUNT of the found string between {@code start} and {@code end}, inclusive, in bytes or
     * (with {@code bitUnit}) bits; negative positions count from the end, and the range is
     * clipped to the string.
     */
    public static long bitCount(Database db, long start, long end, boolean bitUnit) {
        byte[] b = db.stringBytes();
        long total = bitUnit ? 8L * db.stringLength() : db.stringLength();
        if (start < 0) start += total;
        if (end < 0) end += total;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= total) end = total - 1;
        if (start > end) return 0;
        return bitUnit ? Bits.countRange(b, db.stringOffset(), start, end) : Bits.popcount(b, db.stringOffset(), start, end + 1);
    }

    /**
     * BITPOS on the found string: the first bit equal to {@code bit} in the range, or -1. The
     * range is as BITCOUNT's; {@code hasStart}/{@code hasEnd} say which bounds were given. When
     * no end was given, a search for 0 that finds none answers the first bit past the string:
     * the string reads as if padded with zeros to the right. With an explicit end it is -1.
     */
    public static long bitPos(Database db, int bit, boolean hasStart, long start, boolean hasEnd, long end,
                              boolean bitUnit) {
        byte[] b = db.stringBytes();
        long total = bitUnit ? 8L * db.stringLength() : db.stringLength();
        if (!hasStart) {
            start = 0;
            bitUnit = false;
            total = db.stringLength();
        }
        if (!hasEnd) end = total - 1;
        if (start < 0) start += total;
        if (end < 0) end += total;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= total) end = total - 1;
        if (start > end) return -1;
        long firstBit = bitUnit ? start : start * 8, lastBit = bitUnit ? end : end * 8 + 7;
        long pos = Bits.first(b, db.stringOffset(), firstBit, lastBit, bit);
        if (pos < 0 && bit == 0 && !hasEnd) return lastBit + 1;
        return pos;
    }

    // ------------------------------------------------------------ writing

    /**
     * Prepares a key for a bit write reaching bit {@code lastBit}: creates it (zero bytes) when
     * absent, pads it with zero bytes when shorter, and makes it a STRING_MODIFIED record
     * (integer-encoded values become their digits). Afterwards the view is on the record and
     * its bytes may be edited in place. OK_GREW when it created or lengthened the value,
     * WRONGTYPE when the key holds another type.
     */
    public static int openForWrite(Database db, byte[] k, int kOff, int kLen, long lastBit) {
        int need = (int) (lastBit >>> 3) + 1;
        if (!db.find(k, kOff, kLen)) {
            db.putZeros(k, kOff, kLen, ValueType.STRING_MODIFIED, need, -1);
            return OK_GREW;
        }
        int type = db.type();
        if (!ValueType.isString(type)) return WRONGTYPE;
        if (type == ValueType.STRING_INT) {
            byte[] digits = Bytes.decimal(db.longValue());
            byte[] v = java.util.Arrays.copyOf(digits, Math.max(digits.length, need));
            db.put(k, kOff, kLen, ValueType.STRING_MODIFIED, v, 0, v.length, db.expireAt());
            return v.length > digits.length ? OK_GREW : OK;
        } else if (db.valueLength() < need) {
            db.growFound(ValueType.STRING_MODIFIED, need);
            return OK_GREW;
        } else if (type != ValueType.STRING_MODIFIED) {
            db.setFoundType(ValueType.STRING_MODIFIED);
        }
        return OK;
    }

    /**
     * SETBIT: sets the bit, creating or padding the key; the old bit lands in {@code out[0]},
     * and in {@code out[1]} 1 when the value changed (created, lengthened or the bit flipped).
     */
    public static int setBit(Database db, byte[] k, int kOff, int kLen, long pos, int bit, long[] out) {
        int opened = openForWrite(db, k, kOff, kLen, pos);
        if (opened == WRONGTYPE) return WRONGTYPE;
        byte[] p = db.valuePage();
        int base = db.valueOffset();
        out[0] = Bits.get(p, base, db.valueLength(), pos);
        out[1] = opened == OK_GREW || out[0] != bit ? 1 : 0;
        Bits.set(p, base, pos, bit);
        return OK;
    }

    /**
     * BITOP: combines the sources (absent keys read as empty strings, shorter ones as padded
     * with zeros) and stores the result at the destination without expiry; when every source
     * is empty the destination is deleted instead, whatever it held. Returns the result's
     * length, or -1 when a source is not a string (nothing changes then). Look-ups that found
     * a key and that did not land in {@code out[0]} and {@code out[1]}.
     */
    public static long bitop(Database db, int op, byte[] d, int destOff, int destLen, int[] srcOff, int[] srcLen,
                             int n, long[] out) {
        byte[][] src = new byte[n][];
        int[] base = new int[n], len = new int[n];
        long hits = 0, misses = 0;
        int max = 0;
        for (int i = 0; i < n; i++) {
            if (!db.find(d, srcOff[i], srcLen[i])) {
                misses++;
                continue;
            }
            hits++;
            if (!ValueType.isString(db.type())) {
                out[0] = hits;
                out[1] = misses;
                return -1;
            }
            if (db.type() == ValueType.STRING_INT) {
                // stringBytes() would print into a buffer the next look-up reuses: keep a copy.
                src[i] = StringOps.foundBytes(db);
                len[i] = src[i].length;
            } else {
                src[i] = db.stringBytes();
                base[i] = db.stringOffset();
                len[i] = db.stringLength();
            }
            max = Math.max(max, len[i]);
        }
        out[0] = hits;
        out[1] = misses;
        if (max == 0) {
            db.delete(d, destOff, destLen);
            return 0;
        }
        byte[] r = new byte[max];
        if (src[0] != null) System.arraycopy(src[0], base[0], r, 0, len[0]);
        if (op == NOT) {
            for (int j = 0; j < max; j++) r[j] = (byte) ~r[j];
        } else {
            for (int i = 1; i < n; i++) combine(op, r, src[i], base[i], len[i]);
        }
        db.put(d, destOff, destLen, ValueType.STRING_MODIFIED, r, 0, max, -1);
        return max;
    }

    /** r = r op s, where s reads as zeros past its length. */
    private static void combine(int op, byte[] r, byte[] s, int base, int len) {
        int j = 0;
        if (op == AND) {
            for (; j + 8 <= len; j += 8) Bytes.putLong(r, j, Bytes.getLong(r, j) & Bytes.getLong(s, base + j));
            for (; j < len; j++) r[j] &= s[base + j];
            java.util.Arrays.fill(r, len, r.length, (byte) 0);
        } else if (op == OR) {
            for (; j + 8 <= len; j += 8) Bytes.putLong(r, j, Bytes.getLong(r, j) | Bytes.getLong(s, base + j));
            for (; j < len; j++) r[j] |= s[base + j];
        } else {
            for (; j + 8 <= len; j += 8) Bytes.putLong(r, j, Bytes.getLong(r, j) ^ Bytes.getLong(s, base + j));
            for (; j < len; j++) r[j] ^= s[base + j];
        }
    }

    // ------------------------------------------------------------ BITFIELD

    /** BITFIELD GET on the found string (zeros past its end). */
    public static long fieldGet(Database db, long pos, int bits, boolean signed) {
        byte[] b = db.stringBytes();
        long raw = Bits.getField(b, db.stringOffset(), db.stringLength(), pos, bits);
        return signed ? Bits.signExtend(raw, bits) : raw;
    }

    /**
     * BITFIELD SET or INCRBY on the record {@link #openForWrite} positioned on. The reply value
     * (the old value for SET, the new one for INCRBY) lands in {@code out[0]}, and 1 in
     * {@code out[1]} when the field's bits changed; false when the value overflows under
     * OVERFLOW FAIL, and then nothing is written.
     */
    public static boolean fieldWrite(Database db, boolean incr, long pos, int bits, boolean signed, long arg,
                                     int overflow, long[] out) {
        byte[] p = db.valuePage();
        int base = db.valueOffset();
        long raw = Bits.getField(p, base, db.valueLength(), pos, bits);
        long old = signed ? Bits.signExtend(raw, bits) : raw;
        long value = incr ? old + arg : arg;
        long[] fitted = new long[1];
        int fit = signed ? Bits.fitSigned(incr ? old : arg, incr ? arg : 0, bits, overflow, fitted)
                : Bits.fitUnsigned(incr ? old : arg, incr ? arg : 0, bits, overflow, fitted);
        if (fit != 0) {
            if (overflow == Bits.FAIL) return false;
            value = fitted[0];
        }
        Bits.setField(p, base, pos, bits, value);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        out[1] = raw != (value & mask) ? 1 : 0;
        out[0] = incr ? value : old;
        return true;
    }
}
