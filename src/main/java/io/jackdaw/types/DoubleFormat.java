package io.jackdaw.types;

import java.math.BigDecimal;

/**
 * Doubles as Redis 7.2+ prints them (its {@code d2string}): integral values within
 * &plusmn;2^62 as plain integers, as its {@code double2ll} fast path does; otherwise the shortest
 * digits that read back to the same value, laid out like its fpconv (plain integers up to 7
 * trailing zeros, plain decimals down to 1e-7, otherwise {@code d.ddde+X}), and {@code inf},
 * {@code -inf}, {@code nan}.
 */
public final class DoubleFormat {
    private DoubleFormat() {}

    public static String shortest(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        boolean neg = Double.doubleToRawLongBits(d) < 0;
        if (d == 0) return neg ? "-0" : "0";
        // d2string's double2ll path: |d| <= (double) (LLONG_MAX / 2), which is 2^62, and no fraction.
        if (d >= -0x1p62 && d <= 0x1p62 && d == Math.rint(d)) return Long.toString((long) d);
        return fpconv(d);
    }

    /**
     * Redis's fpconv_dtoa alone, without d2string's integer path: what DEBUG DIGEST mixes in for
     * a sorted set's scores ({@code 1e+17} where ZSCORE says {@code 100000000000000000}).
     */
    public static String fpconv(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        boolean neg = Double.doubleToRawLongBits(d) < 0;
        if (d == 0) return neg ? "-0" : "0";
        // Java's Double.toString gives the shortest round-trip digits (JDK 19+).
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        // Only subnormals: for normal doubles a one-digit decimal that reads back already shows as "d.0".
        if (bd.precision() == 2 && Math.abs(d) < Double.MIN_NORMAL) bd = oneDigit(bd, Math.abs(d));
        String digits = bd.unscaledValue().toString();
        int k = -bd.scale();
        int n = digits.length();
        StringBuilder sb = new StringBuilder(24);
        if (neg) sb.append('-');
        int exp = Math.abs(k + n - 1);
        if (k >= 0 && exp < n + 7) {
            sb.append(digits);
            for (int i = 0; i < k; i++) sb.append('0');
            return sb.toString();
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = n + k;
            if (offset <= 0) {
                sb.append("0.");
                for (int i = 0; i < -offset; i++) sb.append('0');
                sb.append(digits);
            } else {
                sb.append(digits, 0, offset).append('.').append(digits, offset, n);
            }
            return sb.toString();
        }
        int nd = Math.min(n, 18 - (neg ? 1 : 0));
        sb.append(digits.charAt(0));
        if (nd > 1) sb.append('.').append(digits, 1, nd);
        sb.append('e').append(k + n - 1 < 0 ? '-' : '+').append(exp);
        return sb.toString();
    }

    /**
     * Java never answers with fewer than two digits (4.9E-324 for the least subnormal), where
     * one digit also reads back (5e-324, as fpconv prints it): takes the closer one-digit
     * neighbour that reads back to {@code a}, if any.
     */
    private static BigDecimal oneDigit(BigDecimal twoDigits, double a) {
        BigDecimal exact = new BigDecimal(a), best = null;
        int lead = twoDigits.unscaledValue().intValue() / 10;
        for (int c = lead; c <= lead + 1; c++) {
            BigDecimal cand = BigDecimal.valueOf(c).scaleByPowerOfTen(1 - twoDigits.scale());
            if (Double.parseDouble(cand.toString()) != a) continue;
            if (best == null || cand.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) best = cand;
        }
        return best == null ? twoDigits : best.stripTrailingZeros();
    }

    /**
     * C's {@code printf("%.17g")}, as Redis's ld2string prints a skiplist score for ZSCAN: 17
     * significant digits of the exact value (half to even), plain between 1e-4 and 1e17,
     * otherwise {@code d.ddde+XX}, trailing zeros dropped.
     */
    public static String g17(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        boolean neg = Double.doubleToRawLongBits(d) < 0;
        if (d == 0) return neg ? "-0" : "0";
        BigDecimal r = new BigDecimal(Math.abs(d)).round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        StringBuilder sb = new StringBuilder(26);
        if (neg) sb.append('-');
        if (exp >= -4 && exp < 17) {
            String plain = r.setScale(Math.max(0, 16 - exp)).toPlainString();
            sb.append(trimFraction(plain));
        } else {
            String digits = r.unscaledValue().toString();
            digits = (digits + "00000000000000000").substring(0, 17);
            sb.append(trimFraction(digits.charAt(0) + "." + digits.substring(1)));
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) sb.append('0');
            sb.append(a);
        }
        return sb.toString();
    }

    private static String trimFraction(String s) {
        if (s.indexOf('.') < 0) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }
}
