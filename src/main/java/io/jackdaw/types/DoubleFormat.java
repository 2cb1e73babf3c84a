package io.jackdaw.types;

import java.math.BigDecimal;

/**
 * Doubles as Redis 7.2+ prints them (its {@code d2string}): integral values within
 * &plusmn;2^62 as plain integers, as its {@code double2ll} fast path does; otherwise the digits
 * of its fpconv's Grisu2 ({@link Grisu2}: the shortest that read back for all but ~0.2% of
 * doubles) laid out as fpconv does (plain integers up to 7 trailing zeros, plain decimals down
 * to 1e-7, otherwise {@code d.ddde+X}), and {@code inf}, {@code -inf}, {@code nan}.
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
        // Grisu2's digits, which are what Redis prints (not always the shortest).
        byte[] buf = new byte[18];
        int[] exp10 = new int[1];
        int n = Grisu2.digits(d, buf, exp10);
        String digits = new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
        int k = exp10[0];
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

    /** C's {@code printf("%.<digits>f")}: the exact value rounded half to even, "-0.000000" kept. */
    public static String fixed(double d, int digits) {
        if (Double.isNaN(d)) return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String s = new BigDecimal(d).setScale(digits, java.math.RoundingMode.HALF_EVEN).toPlainString();
        if (Double.doubleToRawLongBits(d) < 0 && s.charAt(0) != '-') s = "-" + s;
        return s;
    }

    /**
     * Redis's ld2string in LD_STR_HUMAN mode for a double (addReplyHumanLongDouble, GEOPOS's
     * coordinates): {@code %.17Lf}, trailing zeros and a bare point removed, "-0" as "0".
     */
    public static String human(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String s = trimFraction(new BigDecimal(d).setScale(17, java.math.RoundingMode.HALF_EVEN).toPlainString());
        return s.equals("-0") ? "0" : s;
    }

    /**
     * Redis 7.2's fixedpoint_d2string: {@code llrint(d * 10^digits)} written with {@code digits}
     * decimals (GEODIST and WITHDIST distances, 4 digits).
     */
    public static String fixedPoint(double d, int digits) {
        if (d == 0) return "0." + "0".repeat(digits);
        long v = (long) Math.rint(d * Math.pow(10, digits));
        boolean neg = v < 0;
        String u = neg ? Long.toUnsignedString(-v) : Long.toString(v);
        if (u.length() <= digits) u = "0".repeat(digits - u.length() + 1) + u;
        String out = u.substring(0, u.length() - digits) + "." + u.substring(u.length() - digits);
        return neg ? "-" + out : out;
    }

    private static String trimFraction(String s) {
        if (s.indexOf('.') < 0) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }
}
