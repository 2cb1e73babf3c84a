package io.jackdaw.types;

import java.util.Arrays;

/**
 * Longest common subsequence of two byte strings, as the LCS command computes it.
 *
 * <p>Redis fills a full table of 32-bit lengths, (|a|+1)·(|b|+1) cells, and walks it back from
 * the end. The walk only ever asks one question of a cell whose bytes differ: is the length
 * above it (one byte less of {@code a}) strictly greater than the length to its left (one byte
 * less of {@code b})? So this class keeps that answer as one bit per cell, computed row by row
 * with two rows of lengths: 1/32 of Redis's memory, the same path, hence the same subsequence
 * and the same match ranges in the same order.
 */
public final class Lcs {
    private final byte[] a, b;
    /** Bit (i-1)·|b| + (j-1): at cell (i, j), when the bytes differ, the walk steps up (drops a byte of a). */
    private final long[] up;
    private final int length;

    private Lcs(byte[] a, byte[] b, long[] up, int length) {
        this.a = a;
        this.b = b;
        this.up = up;
        this.length = length;
    }

    /** Number of cells Redis's table would hold; the command bounds memory by it, as Redis does. */
    public static long tableCells(long aLen, long bLen) { return (aLen + 1) * (bLen + 1); }

    /** The length of the LCS alone, in O(|b|) memory. */
    public static int length(byte[] a, byte[] b) {
        int[] prev = new int[b.length + 1], cur = new int[b.length + 1];
        for (byte x : a) {
            for (int j = 1; j <= b.length; j++) {
                cur[j] = x == b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length];
    }

    /**
     * Builds the walk-back table. Returns null when the bit table cannot be had (beyond the
     * largest Java array, or the heap refuses it); the caller reports that as Redis does.
     */
    public static Lcs compute(byte[] a, byte[] b) {
        long cells = (long) a.length * b.length;
        long words = (cells + 63) >>> 6;
        if (words > Integer.MAX_VALUE - 16) return null;
        long[] up;
        try {
            up = new long[(int) words];
        } catch (OutOfMemoryError e) {
            // One large transient array: failing to get it leaves nothing half-built.
            return null;
        }
        int[] prev = new int[b.length + 1], cur = new int[b.length + 1];
        long bit = 0;
        for (byte x : a) {
            for (int j = 1; j <= b.length; j++, bit++) {
                if (x == b[j - 1]) {
                    cur[j] = prev[j - 1] + 1;
                } else {
                    int above = prev[j], left = cur[j - 1];
                    if (above > left) {
                        cur[j] = above;
                        up[(int) (bit >>> 6)] |= 1L << bit;
                    } else {
                        cur[j] = left;
                    }
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return new Lcs(a, b, up, prev[b.length]);
    }

    public int length() { return length; }

    private boolean stepUp(int i, int j) {
        long bit = (long) (i - 1) * b.length + (j - 1);
        return (up[(int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    /** The subsequence itself, as the walk back from the end picks it. */
    public byte[] subsequence() {
        byte[] out = new byte[length];
        int k = length, i = a.length, j = b.length;
        while (i > 0 && j > 0) {
            if (a[i - 1] == b[j - 1]) {
                out[--k] = a[i - 1];
                i--;
                j--;
            } else if (stepUp(i, j)) {
                i--;
            } else {
                j--;
            }
        }
        return out;
    }

    /**
     * The runs of consecutive matched bytes, from the end of the strings to the start, as
     * quadruples (aStart, aEnd, bStart, bEnd) of inclusive offsets; runs shorter than
     * {@code minMatchLen} are left out (0 or less keeps every run).
     */
    public int[] matches(long minMatchLen) {
        int[] out = new int[16];
        int n = 0;
        int i = a.length, j = b.length;
        int aStart = -1, aEnd = 0, bStart = 0, bEnd = 0; // aStart < 0: no run open
        while (i > 0 && j > 0) {
            boolean close = false;
            if (a[i - 1] == b[j - 1]) {
                if (aStart < 0) {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    close = true;
                }
                // A run that reached the first byte of either string cannot grow further.
                if (aStart == 0 || bStart == 0) close = true;
                i--;
                j--;
            } else {
                if (stepUp(i, j)) i--;
                else j--;
                if (aStart >= 0) close = true;
            }
            if (close) {
                if (aEnd - aStart + 1 >= minMatchLen) {
                    if (n + 4 > out.length) out = Arrays.copyOf(out, out.length * 2);
                    out[n++] = aStart;
                    out[n++] = aEnd;
                    out[n++] = bStart;
                    out[n++] = bEnd;
                }
                aStart = -1;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
