package io.jackdaw.types;

import java.math.BigInteger;

/**
 * Loitsch's Grisu2 digit generation for doubles, as Redis 7.2 prints them (its fpconv): fast,
 * and for all but ~0.2% of doubles the shortest digits that read back; for the rest a digit
 * or so longer, or not the nearest. Redis users see those digits, so we produce the same ones.
 *
 * <p>The value v is bracketed by the midpoints to its neighbours, all three scaled by a cached
 * power of ten into a 64-bit fixed-point window; digits are generated from the upper bound
 * until they fall within the bracket, then the last digit is walked down towards v while that
 * stays inside and gets closer. 64-bit quantities are unsigned throughout.
 */
public final class Grisu2 {
    private Grisu2() {}

    private static final int FIRST_POWER = -348, POWER_STEP = 8, POWER_COUNT = 87;
    private static final int ALPHA = -60, GAMMA = -32; // the target window for the scaled exponent
    private static final long[] POW10_FRAC = new long[POWER_COUNT];
    private static final int[] POW10_EXP = new int[POWER_COUNT];
    private static final long[] TENS = new long[20]; // 10^19 down to 10^0

    static {
        // 10^k for k = -348, -340, ..., 340 as a normalized 64-bit significand (rounded to
        // nearest) and a binary exponent: the standard Grisu cache, derived rather than listed.
        for (int i = 0; i < POWER_COUNT; i++) {
            int k = FIRST_POWER + i * POWER_STEP;
            BigInteger num = k >= 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE;
            BigInteger den = k >= 0 ? BigInteger.ONE : BigInteger.TEN.pow(-k);
            // Find e with 2^63 <= 10^k / 2^e < 2^64.
            int e = num.bitLength() - den.bitLength() - 64;
            BigInteger q;
            while (true) {
                BigInteger n = e < 0 ? num.shiftLeft(-e) : num;
                BigInteger d = e > 0 ? den.shiftLeft(e) : den;
                BigInteger[] qr = n.divideAndRemainder(d);
                q = qr[0];
                if (qr[1].shiftLeft(1).compareTo(d) >= 0) q = q.add(BigInteger.ONE);
                if (q.bitLength() > 64) {
                    e++;
                    continue;
                }
                if (q.bitLength() < 64) {
                    e--;
                    continue;
                }
                break;
            }
            POW10_FRAC[i] = q.longValue();
            POW10_EXP[i] = e;
        }
        long t = 1;
        for (int i = 19; i >= 0; i--) {
            TENS[i] = t;
            t *= 10;
        }
    }

    private static final long HIDDEN_BIT = 1L << 52, FRAC_MASK = HIDDEN_BIT - 1;
    private static final int EXP_BIAS = 1023 + 52;

    /**
     * Writes the digits of a finite, non-zero |d| into {@code out} (at least 18 bytes) and
     * returns their count; the value is digits &times; 10^{@code exp10[0]}.
     */
    public static int digits(double d, byte[] out, int[] exp10) {
        long bits = Double.doubleToRawLongBits(d);
        long frac = bits & FRAC_MASK;
        int biased = (int) ((bits >>> 52) & 0x7FF);
        int exp;
        if (biased != 0) {
            frac += HIDDEN_BIT;
            exp = biased - EXP_BIAS;
        } else {
            exp = 1 - EXP_BIAS;
        }
        // Boundaries m+ and m- (midpoints to the neighbours), on a common exponent.
        long upperFrac = (frac << 1) + 1;
        int upperExp = exp - 1;
        while ((upperFrac & (HIDDEN_BIT << 1)) == 0) {
            upperFrac <<= 1;
            upperExp--;
        }
        upperFrac <<= 64 - 52 - 2;
        upperExp -= 64 - 52 - 2;
        int lowerShift = frac == HIDDEN_BIT ? 2 : 1; // the gap below a power of two is half as wide
        long lowerFrac = (frac << lowerShift) - 1;
        int lowerExp = exp - lowerShift;
        lowerFrac <<= lowerExp - upperExp;
        // v itself, normalized.
        long wFrac = frac;
        int wExp = exp;
        while ((wFrac & HIDDEN_BIT) == 0) {
            wFrac <<= 1;
            wExp--;
        }
        wFrac <<= 64 - 52 - 1;
        wExp -= 64 - 52 - 1;

        // A cached power c = 10^-k that brings the upper bound's exponent into [ALPHA, GAMMA].
        int approx = (int) (-(upperExp + POWER_COUNT) * 0.30102999566398114);
        int idx = (approx - FIRST_POWER) / POWER_STEP;
        while (true) {
            int scaled = upperExp + POW10_EXP[idx] + 64;
            if (scaled < ALPHA) idx++;
            else if (scaled > GAMMA) idx--;
            else break;
        }
        long cFrac = POW10_FRAC[idx];
        int cExp = POW10_EXP[idx];
        int k = FIRST_POWER + idx * POWER_STEP;

        long w = multiply(wFrac, cFrac);
        long upper = multiply(upperFrac, cFrac);
        long lower = multiply(lowerFrac, cFrac);
        int e = upperExp + cExp + 64; // shared by all three after scaling
        lower++; // the products are off by up to one unit: keep to the safe inside
        upper--;
        exp10[0] = -k;
        return generate(w, upper, lower, e, out, exp10);
    }

    /** 64x64 -> high 64 bits, rounded (the low half's top bit rounds up). */
    private static long multiply(long a, long b) {
        long mask = 0xFFFFFFFFL;
        long ah = a >>> 32, al = a & mask, bh = b >>> 32, bl = b & mask;
        long ahBl = ah * bl, alBh = al * bh, alBl = al * bl, ahBh = ah * bh;
        long mid = (ahBl & mask) + (alBh & mask) + (alBl >>> 32);
        mid += 1L << 31;
        return ahBh + (ahBl >>> 32) + (alBh >>> 32) + (mid >>> 32);
    }

    private static int generate(long w, long upper, long lower, int e, byte[] out, int[] exp10) {
        long wDistance = upper - w;
        long delta = upper - lower;
        int shift = -e;
        long one = 1L << shift;
        long integral = upper >>> shift;
        long fraction = upper & (one - 1);
        int n = 0;
        int kappa = 10;
        // Integral part: at most 10 digits, since integral < 2^32.
        for (int t = 10; kappa > 0; t++) {
            long div = TENS[t];
            int digit = (int) (integral / div);
            if (digit != 0 || n != 0) out[n++] = (byte) ('0' + digit);
            integral -= digit * div;
            kappa--;
            long rest = (integral << shift) + fraction;
            if (Long.compareUnsigned(rest, delta) <= 0) {
                exp10[0] += kappa;
                weed(out, n, delta, rest, div << shift, wDistance);
                return n;
            }
        }
        // Fractional part: one digit per multiplication by ten.
        int unit = 18;
        while (true) {
            fraction *= 10;
            delta *= 10;
            kappa--;
            int digit = (int) (fraction >>> shift);
            if (digit != 0 || n != 0) out[n++] = (byte) ('0' + digit);
            fraction &= one - 1;
            if (Long.compareUnsigned(fraction, delta) < 0) {
                exp10[0] += kappa;
                weed(out, n, delta, fraction, one, wDistance * TENS[unit]);
                return n;
            }
            unit--;
        }
    }

    /** Moves the last digit down while the result stays inside the bracket and gets closer to v. */
    private static void weed(byte[] out, int n, long delta, long rest, long step, long wDistance) {
        while (Long.compareUnsigned(rest, wDistance) < 0
                && Long.compareUnsigned(delta - rest, step) >= 0
                && (Long.compareUnsigned(rest + step, wDistance) < 0
                    || Long.compareUnsigned(wDistance - rest, rest + step - wDistance) > 0)) {
            out[n - 1]--;
            rest += step;
        }
    }
}
