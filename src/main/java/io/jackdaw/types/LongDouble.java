package io.jackdaw.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * INCRBYFLOAT arithmetic as Redis does it in C {@code long double} (x87 80-bit: 64-bit
 * significand), emulated exactly with BigDecimal so that e.g. 10.5 + 0.1 prints "10.6" as it
 * does on Redis, where a Java double would print 10.59999999999999964.
 */
public final class LongDouble {
    private LongDouble() {}

    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63), TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final int MAX_EXP = 16384, MIN_EXP = -16445;
    /** Longest input Redis's string2ld accepts. */
    public static final int MAX_CHARS = 5 * 1024;

    /** A finite value, or null for an infinity (sign in {@link #infinitySign}). */
    public record Value(BigDecimal exact, int infinitySign) {
        public boolean isInfinite() { return exact == null; }
    }

    /** strtold-style parse with Redis's extra rules; null when Redis would say "not a valid float". */
    public static Value parse(byte[] b, int off, int len) {
        if (len == 0 || len >= MAX_CHARS) return null;
        String s = new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        char c0 = s.charAt(0);
        if (Character.isWhitespace(c0) || c0 == 11) return null;
        String body = s;
        int sign = 1;
        if (c0 == '+' || c0 == '-') {
            sign = c0 == '-' ? -1 : 1;
            body = s.substring(1);
        }
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) return new Value(null, sign);
        if (lower.startsWith("nan")) return null;
        BigDecimal v;
        try {
            if (lower.startsWith("0x")) {
                v = parseHex(lower.substring(2));
                if (v == null) return null;
            } else {
                if (!body.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) return null;
                v = new BigDecimal(body);
                // Far outside the long double range (max ~1.19e4932, least subnormal ~3.65e-4951): strtold
                // reports ERANGE. Decided here so that "1e999999999" costs no huge power of two.
                long exp10 = (long) v.precision() - v.scale() - 1;
                if (v.signum() != 0 && (exp10 > 4933 || exp10 < -4952)) return null;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        if (sign < 0) v = v.negate();
        Value r = round(v);
        // strtold reports ERANGE on overflow and on underflow to zero; Redis rejects both.
        if (r.isInfinite() || (r.exact.signum() == 0 && v.signum() != 0)) return null;
        return r;
    }

    /**
     * The exact value of a C99 hexadecimal float body (after "0x"): hex digits with an optional
     * point, then an optional binary exponent {@code p[+-]digits}; null when malformed.
     */
    private static BigDecimal parseHex(String h) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("([0-9a-f]*)(?:\\.([0-9a-f]*))?(?:p([+-]?\\d+))?").matcher(h);
        if (!m.matches()) return null;
        String ip = m.group(1), fp = m.group(2) == null ? "" : m.group(2);
        if (ip.isEmpty() && fp.isEmpty()) return null;
        BigInteger mant = new BigInteger(ip + fp + "0", 16).shiftRight(4); // the "0" keeps "" parseable
        if (mant.signum() == 0) return BigDecimal.ZERO;
        long e2 = (m.group(3) == null ? 0 : Long.parseLong(m.group(3))) - 4L * fp.length();
        long top = e2 + mant.bitLength(); // 2^(top-1) <= value < 2^top
        if (top > MAX_EXP + 1 || top < MIN_EXP - 1) return null; // certain overflow or underflow
        BigDecimal r = new BigDecimal(mant);
        return e2 >= 0 ? r.multiply(TWO.pow((int) e2)) : r.divide(TWO.pow((int) -e2));
    }

    /** Rounds an exact value to the nearest 80-bit long double (half to even), subnormals included. */
    public static Value round(BigDecimal x) {
        if (x.signum() == 0) return new Value(BigDecimal.ZERO, 0);
        BigDecimal a = x.abs();
        // Estimate e with 2^63 <= a / 2^e < 2^64, then correct.
        int e = (int) Math.floor(estimateLog2(a)) - 63;
        BigInteger m;
        while (true) {
            BigDecimal scaled = e >= 0 ? a.divide(TWO.pow(e)) : a.multiply(TWO.pow(-e));
            BigInteger ip = scaled.toBigInteger();
            if (ip.compareTo(TWO_63) < 0) { e--; continue; }
            if (ip.compareTo(TWO_64) >= 0) { e++; continue; }
            m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            if (m.equals(TWO_64)) { m = TWO_63; e++; }
            break;
        }
        if (e + 63 >= MAX_EXP) return new Value(null, x.signum());
        if (e < MIN_EXP) {
            // Below the normal range: a subnormal is a multiple of 2^MIN_EXP, rounded half to even.
            m = a.multiply(TWO.pow(-MIN_EXP)).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            if (m.signum() == 0) return new Value(BigDecimal.ZERO, 0);
            e = MIN_EXP;
        }
        BigDecimal r = new BigDecimal(m);
        r = e >= 0 ? r.multiply(TWO.pow(e)) : r.divide(TWO.pow(-e));
        return new Value(x.signum() < 0 ? r.negate() : r, 0);
    }

    private static double estimateLog2(BigDecimal a) {
        BigInteger u = a.unscaledValue();
        int bits = u.bitLength();
        double top = bits > 60 ? u.shiftRight(bits - 60).doubleValue() : u.doubleValue();
        double log2u = Math.log(top) / Math.log(2) + Math.max(0, bits - 60);
        return log2u - a.scale() * (Math.log(10) / Math.log(2));
    }

    public static Value add(Value a, Value b) {
        if (a.isInfinite() || b.isInfinite()) {
            if (a.isInfinite() && b.isInfinite() && a.infinitySign != b.infinitySign) return null; // NaN
            return new Value(null, a.isInfinite() ? a.infinitySign : b.infinitySign);
        }
        return round(a.exact.add(b.exact));
    }

    /** Redis's human form: {@code %.17Lf}, trailing zeros and a bare point removed, "-0" as "0". */
    public static String format(Value v) {
        if (v.isInfinite()) return v.infinitySign > 0 ? "inf" : "-inf";
        String s = v.exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
            s = s.substring(0, end);
        }
        if (s.equals("-0")) s = "0";
        return s;
    }

}
