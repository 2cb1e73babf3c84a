package io.jackdaw.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte-slice helpers used on the hot path: hashing, comparison, integer parsing and formatting. */
public final class Bytes {
    private Bytes() {}

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    public static long getLong(byte[] b, int off) { return (long) LONG_LE.get(b, off); }
    public static void putLong(byte[] b, int off, long v) { LONG_LE.set(b, off, v); }
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Big-endian, as Redis's stream IDs are stored raw (radix-tree keys, RDB PELs). */
    public static long getLongBE(byte[] b, int off) { return (long) LONG_BE.get(b, off); }
    public static void putLongBE(byte[] b, int off, long v) { LONG_BE.set(b, off, v); }
    public static int getInt(byte[] b, int off) { return (int) INT_LE.get(b, off); }
    public static void putInt(byte[] b, int off, int v) { INT_LE.set(b, off, v); }
    public static int getU16(byte[] b, int off) { return ((short) SHORT_LE.get(b, off)) & 0xFFFF; }
    public static void putU16(byte[] b, int off, int v) { SHORT_LE.set(b, off, (short) v); }

    /**
     * 64-bit hash of a byte slice for the keyspace table. Eight bytes per step with a
     * multiply-xorshift mix; it only has to spread keys, not resist attackers (the table
     * is per shard and bounded by memory, as Redis's siphash-free dicts were for years).
     */
    public static long hash(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ (len * 0xC2B2AE3D27D4EB4FL);
        int i = off, end = off + len;
        while (end - i >= 8) {
            h = mix(h ^ getLong(b, i));
            i += 8;
        }
        long tail = 0;
        int shift = 0;
        while (i < end) {
            tail |= (b[i++] & 0xFFL) << shift;
            shift += 8;
        }
        h = mix(h ^ tail ^ 0x165667B19E3779F9L);
        return h ^ (h >>> 29);
    }

    private static long mix(long x) {
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        x *= 0x94D049BB133111EBL;
        return x ^ (x >>> 32);
    }

    public static boolean equals(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        return aLen == bLen && java.util.Arrays.equals(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
    }

    /** ASCII case-insensitive comparison against an upper-case token. */
    public static boolean equalsIgnoreCase(byte[] a, int off, int len, byte[] upperToken) {
        if (len != upperToken.length) return false;
        for (int i = 0; i < len; i++) {
            int c = a[off + i];
            if (c >= 'a' && c <= 'z') c -= 32;
            if (c != upperToken[i]) return false;
        }
        return true;
    }

    /** Sentinel-free strict parse of a Redis integer (string2ll rules); returns false on any deviation. */
    public static boolean parseLong(byte[] b, int off, int len, long[] out) {
        if (len == 0 || len > 20) return false;
        if (len == 1 && b[off] == '0') { out[0] = 0; return true; }
        int i = off, end = off + len;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            if (++i == end) return false;
        }
        if (b[i] < '1' || b[i] > '9') return false;
        long v = 0;
        // Accumulate negatively so Long.MIN_VALUE parses without overflow.
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            if (v < (Long.MIN_VALUE + d) / 10) return false;
            long nv = v * 10 - d;
            if (nv > v) return false;
            v = nv;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) return false;
            v = -v;
        }
        out[0] = v;
        return true;
    }

    /** Number of bytes {@link #writeLong} produces. */
    public static int longLength(long v) {
        if (v == Long.MIN_VALUE) return 20;
        int n = 1;
        if (v < 0) { n++; v = -v; }
        while (v >= 10) { v /= 10; n++; }
        return n;
    }

    /** Writes the decimal form of v at off; returns the new offset. */
    public static int writeLong(byte[] b, int off, long v) {
        if (v == Long.MIN_VALUE) {
            byte[] min = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(min, 0, b, off, min.length);
            return off + min.length;
        }
        int len = longLength(v);
        int end = off + len;
        if (v < 0) { b[off] = '-'; v = -v; }
        int p = end;
        do {
            b[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        return end;
    }

    /** The decimal digits of a long, as a new array. */
    public static byte[] decimal(long v) {
        byte[] b = new byte[longLength(v)];
        writeLong(b, 0, v);
        return b;
    }

    public static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    public static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    public static String string(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
