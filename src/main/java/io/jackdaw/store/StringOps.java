package io.jackdaw.store;

import io.jackdaw.types.Bytes;
import io.jackdaw.types.LongDouble;
import java.nio.charset.StandardCharsets;

/**
 * Typed string operations over a {@link Database}: how a value is stored (integer-encoded
 * where Redis would) and read-modify-write operations. Status codes tell the command layer
 * which error to send; results come back through the database's found record or out params.
 */
public final class StringOps {
    private StringOps() {}

    public static final int OK = 0, WRONGTYPE = 1, NOT_INTEGER = 2, OVERFLOW = 3, NOT_FLOAT = 4, NAN_OR_INF = 5,
            TOO_BIG = 6;

    /** Redis's proto-max-bulk-len default bound on a string built by APPEND/SETRANGE. */
    public static final long MAX_STRING = 512L * 1024 * 1024;

    /**
     * Stores a string value. Canonical decimal integers of up to 20 characters are kept as
     * 8-byte integers (Redis's "int" encoding).
     */
    public static void set(Database db, byte[] k, int kOff, int kLen, byte[] v, int vOff, int vLen, long expireAt,
                           long[] scratch) {
        if (vLen <= 20 && Bytes.parseLong(v, vOff, vLen, scratch)) db.putLong(k, kOff, kLen, scratch[0], expireAt);
        else db.put(k, kOff, kLen, ValueType.STRING_RAW, v, vOff, vLen, expireAt);
    }

    /** Stores bytes as a raw string, never integer-encoded (INCRBYFLOAT results, as in Redis). */
    public static void setRaw(Database db, byte[] k, int kOff, int kLen, byte[] v, long expireAt) {
        db.put(k, kOff, kLen, ValueType.STRING_RAW, v, 0, v.length, expireAt);
    }

    /** Reads the found string record as an integer; false if it is not one. */
    public static boolean foundAsLong(Database db, long[] out) {
        if (db.type() == ValueType.STRING_INT) {
            out[0] = db.longValue();
            return true;
        }
        return Bytes.parseLong(db.valuePage(), db.valueOffset(), db.valueLength(), out);
    }

    /** Length of the found string (digits for integer-encoded values). */
    public static long foundLength(Database db) {
        return db.type() == ValueType.STRING_INT ? Bytes.longLength(db.longValue()) : db.valueLength();
    }


    /** Copy of the found string's bytes. */
    public static byte[] foundBytes(Database db) {
        if (db.type() == ValueType.STRING_INT) return Bytes.decimal(db.longValue());
        return java.util.Arrays.copyOfRange(db.valuePage(), db.valueOffset(), db.valueOffset() + db.valueLength());
    }

    /** INCRBY and friends: adds delta, keeping any expiry; the new value lands in out[0]. */
    public static int incrBy(Database db, byte[] k, int kOff, int kLen, long delta, long[] out) {
        long value = 0, expireAt = -1;
        if (db.find(k, kOff, kLen)) {
            if (!ValueType.isString(db.type())) return WRONGTYPE;
            if (!foundAsLong(db, out)) return NOT_INTEGER;
            value = out[0];
            expireAt = db.expireAt();
        }
        if ((delta < 0 && value < 0 && delta < Long.MIN_VALUE - value)
                || (delta > 0 && value > 0 && delta > Long.MAX_VALUE - value)) return OVERFLOW;
        long result = value + delta;
        db.putLong(k, kOff, kLen, result, expireAt);
        out[0] = result;
        return OK;
    }

    /** INCRBYFLOAT with long double arithmetic; the printed result lands in out[0]. */
    public static int incrByFloat(Database db, byte[] k, int kOff, int kLen, byte[] incr, int iOff, int iLen,
                                  String[] out) {
        LongDouble.Value current = new LongDouble.Value(java.math.BigDecimal.ZERO, 0);
        long expireAt = -1;
        if (db.find(k, kOff, kLen)) {
            if (!ValueType.isString(db.type())) return WRONGTYPE;
            byte[] b = foundBytes(db);
            current = LongDouble.parse(b, 0, b.length);
            if (current == null) return NOT_FLOAT;
            expireAt = db.expireAt();
        }
        LongDouble.Value by = LongDouble.parse(incr, iOff, iLen);
        if (by == null) return NOT_FLOAT;
        LongDouble.Value sum = LongDouble.add(current, by);
        if (sum == null || sum.isInfinite()) return NAN_OR_INF;
        String s = LongDouble.format(sum);
        setRaw(db, k, kOff, kLen, s.getBytes(StandardCharsets.US_ASCII), expireAt);
        out[0] = s;
        return OK;
    }
}
