package io.jackdaw.types;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.4's listpackex: a small hash whose fields may expire, kept as a {@link Listpack} of
 * field, value, expiry triplets. The expiry is an integer entry, absolute Unix time in ms, 0
 * for none. Triplets are ordered by expiry, earliest first, fields without one last, so the
 * fields due first are a prefix and the earliest expiry is the third entry. A new expiry goes
 * before the first triplet whose expiry is none or not earlier (as Redis inserts it), a field
 * that loses its expiry goes to the tail.
 *
 * <p>Same {@code (buf, base)} conventions as {@link Listpack}; {@code p} names a triplet by its
 * field entry. Expiries are given and returned as -1 for none. Edits return a new array holding
 * the result at offset 0.
 */
public final class ListpackEx {
    private ListpackEx() {}

    /** The stored form of "no expiry". */
    private static final long NONE_STORED = 0;

    /** Appends an empty expiry to every pair of a field/value listpack (Redis's conversion on the first HEXPIRE). */
    public static byte[] fromPairs(byte[] lp, int base) {
        List<byte[]> entries = new ArrayList<>();
        byte[] noExpiry = {'0'};
        for (int p = Listpack.first(lp, base); p != Listpack.NONE; ) {
            int q = Listpack.next(lp, base, p);
            entries.add(Listpack.toBytes(lp, p));
            entries.add(Listpack.toBytes(lp, q));
            entries.add(noExpiry);
            p = Listpack.next(lp, base, q);
        }
        return Listpack.of(entries);
    }

    /** Triplets in the listpack (a walked count is cached in the header, as Redis's lpLength). */
    public static int count(byte[] lp, int base) { return Listpack.countAndCache(lp, base) / 3; }

    /** The triplet whose field equals the given bytes, or {@link Listpack#NONE}. */
    public static int find(byte[] lp, int base, byte[] f, int off, int len) {
        return Listpack.find(lp, base, Listpack.first(lp, base), f, off, len, 2);
    }

    /** The value entry of the triplet at {@code p}. */
    public static int valueOf(byte[] lp, int base, int p) { return Listpack.next(lp, base, p); }

    /** The expiry of the triplet at {@code p}, -1 for none. */
    public static long expireAt(byte[] lp, int base, int p) {
        int t = Listpack.next(lp, base, Listpack.next(lp, base, p));
        long v = Listpack.getInt(lp, t);
        return v == NONE_STORED ? -1 : v;
    }

    /** The triplet after the one at {@code p}, or {@link Listpack#NONE}. */
    public static int nextTriplet(byte[] lp, int base, int p) {
        return Listpack.next(lp, base, Listpack.next(lp, base, Listpack.next(lp, base, p)));
    }

    /** The earliest expiry of any field, -1 when none has one. */
    public static long minExpireAt(byte[] lp, int base) {
        int p = Listpack.first(lp, base);
        return p == Listpack.NONE ? -1 : expireAt(lp, base, p);
    }

    /** Adds a triplet at its place in expiry order ({@code expireAt} -1: none, at the tail). */
    public static byte[] add(byte[] lp, int base, byte[] f, int fOff, int fLen, byte[] v, int vOff, int vLen,
                             long expireAt) {
        int at = Listpack.eof(lp, base);
        if (expireAt >= 0) {
            for (int p = Listpack.first(lp, base); p != Listpack.NONE; p = nextTriplet(lp, base, p)) {
                long e = expireAt(lp, base, p);
                if (e < 0 || e >= expireAt) {
                    at = p;
                    break;
                }
            }
        }
        // Each insert before `at` leaves the new entry at at's offset, so insert back to front.
        int rel = at - base;
        byte[] out = Listpack.insertInt(lp, base, at, Listpack.BEFORE, expireAt < 0 ? NONE_STORED : expireAt);
        out = Listpack.insert(out, 0, rel, Listpack.BEFORE, v, vOff, vLen);
        return Listpack.insert(out, 0, rel, Listpack.BEFORE, f, fOff, fLen);
    }

    /** Gives the triplet at {@code p} a new expiry (-1: none), moving it to its place in order. */
    public static byte[] setExpireAt(byte[] lp, int base, int p, long expireAt) {
        byte[] f = Listpack.toBytes(lp, p);
        byte[] v = Listpack.toBytes(lp, valueOf(lp, base, p));
        byte[] out = Listpack.delete(lp, base, p, 3);
        return add(out, 0, f, 0, f.length, v, 0, v.length, expireAt);
    }

    /** Replaces the value of the triplet at {@code p}, leaving it where it is. */
    public static byte[] replaceValue(byte[] lp, int base, int p, byte[] v, int off, int len) {
        return Listpack.replace(lp, base, valueOf(lp, base, p), v, off, len);
    }

    /** Removes the triplet at {@code p}. */
    public static byte[] remove(byte[] lp, int base, int p) { return Listpack.delete(lp, base, p, 3); }

    /** How many leading triplets have an expiry at or before {@code now}, counting at most {@code max}. */
    public static int duePrefix(byte[] lp, int base, long now, int max) {
        int n = 0;
        for (int p = Listpack.first(lp, base); p != Listpack.NONE && n < max; p = nextTriplet(lp, base, p)) {
            long e = expireAt(lp, base, p);
            if (e < 0 || e > now) break;
            n++;
        }
        return n;
    }

    /** Removes the first {@code n} triplets. */
    public static byte[] removePrefix(byte[] lp, int base, int n) {
        return Listpack.delete(lp, base, Listpack.first(lp, base), 3 * n);
    }
}
