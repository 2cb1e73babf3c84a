package io.jackdaw.types;

import java.util.Random;

/**
 * Redis's intset, byte for byte: the sorted array of integers Redis uses for small sets whose
 * members are all integers. We keep such sets in exactly this format inside our pages, so that
 * RDB files and DUMP/RESTORE payloads carry them as plain byte copies and they cost the memory
 * they cost in Redis.
 *
 * <pre>
 *  offset 0          4          8
 *         +----------+----------+---------+---------+-----+-----------+
 *         | encoding | length   | value 0 | value 1 | ... | value n-1 |
 *         | u32 LE   | u32 LE   |         |         |     |           |
 *         +----------+----------+---------+---------+-----+-----------+
 *   encoding  bytes per value: 2, 4 or 8 (int16, int32, int64), two's complement LE
 *   length    number of values; the blob is 8 + length * encoding bytes
 *   values    strictly increasing
 * </pre>
 *
 * <p>The encoding is the widest any value ever needed: adding a value that does not fit
 * rewrites every value wider (such a value is below or above all others, so it goes at one
 * end), and removing values never narrows it again, as in Redis. The bytes therefore depend on
 * the members and on that high-water mark only.
 *
 * <p>Everything is static over a region {@code (buf, base)}; edits return a new array holding
 * the result at offset 0. Readers assume a well-formed intset: one we built, or one that passed
 * {@link #validate}.
 */
public final class Intset {
    private Intset() {}

    public static final int HEADER_SIZE = 8;
    public static final int ENC_INT16 = 2, ENC_INT32 = 4, ENC_INT64 = 8;

    /** A new empty intset (encoding int16, length 0). */
    public static byte[] newEmpty() {
        byte[] b = new byte[HEADER_SIZE];
        b[0] = ENC_INT16;
        return b;
    }

    /** Bytes per value: 2, 4 or 8. */
    public static int encoding(byte[] buf, int base) { return Bytes.getInt(buf, base); }

    /** Number of values. */
    public static int length(byte[] buf, int base) { return Bytes.getInt(buf, base + 4); }

    /** Total bytes of the intset. */
    public static int blobLength(byte[] buf, int base) {
        return HEADER_SIZE + length(buf, base) * encoding(buf, base);
    }

    /** The narrowest encoding that holds {@code v}. */
    public static int valueEncoding(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return ENC_INT64;
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) return ENC_INT32;
        return ENC_INT16;
    }

    /** The value at {@code index} (0-based, in increasing order). */
    public static long get(byte[] buf, int base, int index) {
        int len = length(buf, base);
        if (index < 0 || index >= len) throw new IndexOutOfBoundsException("index " + index + " of intset length " + len);
        return at(buf, base, encoding(buf, base), index);
    }

    /** The smallest value; the intset must not be empty. */
    public static long min(byte[] buf, int base) { return get(buf, base, 0); }

    /** The largest value; the intset must not be empty. */
    public static long max(byte[] buf, int base) { return get(buf, base, length(buf, base) - 1); }

    /**
     * Binary search: the index of {@code v}, or {@code -(insertion point) - 1} when absent, as
     * {@link java.util.Arrays#binarySearch(long[], long)}.
     */
    public static int search(byte[] buf, int base, long v) {
        int enc = encoding(buf, base);
        int lo = 0, hi = length(buf, base) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long cur = at(buf, base, enc, mid);
            if (cur < v) lo = mid + 1;
            else if (cur > v) hi = mid - 1;
            else return mid;
        }
        return -lo - 1;
    }

    /** Whether {@code v} is a member. */
    public static boolean contains(byte[] buf, int base, long v) {
        return valueEncoding(v) <= encoding(buf, base) && search(buf, base, v) >= 0;
    }

    /** The intset with {@code v} added, widening the encoding when {@code v} needs it; null when already present. */
    public static byte[] add(byte[] buf, int base, long v) {
        int enc = encoding(buf, base);
        int len = length(buf, base);
        int venc = valueEncoding(v);
        if (venc > enc) {
            // v lies outside every current value: below them all when negative, else above.
            byte[] out = header(venc, len + 1);
            int shift = v < 0 ? 1 : 0;
            for (int i = 0; i < len; i++) put(out, venc, i + shift, at(buf, base, enc, i));
            put(out, venc, v < 0 ? 0 : len, v);
            return out;
        }
        int s = search(buf, base, v);
        if (s >= 0) return null;
        int pos = -s - 1;
        byte[] out = header(enc, len + 1);
        System.arraycopy(buf, base + HEADER_SIZE, out, HEADER_SIZE, pos * enc);
        put(out, enc, pos, v);
        System.arraycopy(buf, base + HEADER_SIZE + pos * enc, out, HEADER_SIZE + (pos + 1) * enc, (len - pos) * enc);
        return out;
    }

    /** The intset without {@code v} (the encoding stays as it was); null when {@code v} is absent. */
    public static byte[] remove(byte[] buf, int base, long v) {
        int enc = encoding(buf, base);
        if (valueEncoding(v) > enc) return null;
        int pos = search(buf, base, v);
        if (pos < 0) return null;
        int len = length(buf, base);
        byte[] out = header(enc, len - 1);
        System.arraycopy(buf, base + HEADER_SIZE, out, HEADER_SIZE, pos * enc);
        System.arraycopy(buf, base + HEADER_SIZE + (pos + 1) * enc, out, HEADER_SIZE + pos * enc, (len - pos - 1) * enc);
        return out;
    }

    /** A uniformly chosen member; the intset must not be empty. */
    public static long random(byte[] buf, int base, Random rnd) {
        int len = length(buf, base);
        if (len == 0) throw new IllegalStateException("random member of an empty intset");
        return at(buf, base, encoding(buf, base), rnd.nextInt(len));
    }

    /**
     * Whether {@code buf[base, base+len)} holds a well-formed intset, for bytes from outside
     * (RDB, RESTORE), as Redis's {@code intsetValidateIntegrity}. Never throws and never reads
     * outside the region. Shallow: the encoding is 2, 4 or 8, {@code len} is exactly 8 + length
     * * encoding, and the length is not 0 (Redis never saves an empty set, so an empty intset
     * from outside is corrupt). Deep, also: the values strictly increase (sorted, no duplicates).
     */
    public static boolean validate(byte[] buf, int base, int len, boolean deep) {
        if (buf == null || base < 0 || len < HEADER_SIZE || (long) base + len > buf.length) return false;
        int enc = encoding(buf, base);
        if (enc != ENC_INT16 && enc != ENC_INT32 && enc != ENC_INT64) return false;
        long count = Integer.toUnsignedLong(length(buf, base));
        if (HEADER_SIZE + count * enc != len) return false;
        if (count == 0) return false;
        if (!deep) return true;
        long prev = at(buf, base, enc, 0);
        for (int i = 1; i < count; i++) {
            long cur = at(buf, base, enc, i);
            if (cur <= prev) return false;
            prev = cur;
        }
        return true;
    }

    private static long at(byte[] buf, int base, int enc, int i) {
        int o = base + HEADER_SIZE + i * enc;
        return switch (enc) {
            case ENC_INT16 -> (short) Bytes.getU16(buf, o);
            case ENC_INT32 -> Bytes.getInt(buf, o);
            default -> Bytes.getLong(buf, o);
        };
    }

    private static void put(byte[] out, int enc, int i, long v) {
        int o = HEADER_SIZE + i * enc;
        switch (enc) {
            case ENC_INT16 -> Bytes.putU16(out, o, (int) v);
            case ENC_INT32 -> Bytes.putInt(out, o, (int) v);
            default -> Bytes.putLong(out, o, v);
        }
    }

    private static byte[] header(int enc, int len) {
        byte[] out = new byte[HEADER_SIZE + len * enc];
        Bytes.putInt(out, 0, enc);
        Bytes.putInt(out, 4, len);
        return out;
    }
}
